export { SastTopRules } from './SastTopRules';
