export { Caption, TimeWithAge } from './Cells';
