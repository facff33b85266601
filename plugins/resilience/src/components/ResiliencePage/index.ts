export { ResiliencePage } from './ResiliencePage';
