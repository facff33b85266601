export { EntityCodeSecurity } from './EntityCodeSecurity';
