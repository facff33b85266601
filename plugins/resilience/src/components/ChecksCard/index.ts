export { ChecksCard } from './ChecksCard';
