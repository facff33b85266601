export { LastCollected } from './LastCollected';
