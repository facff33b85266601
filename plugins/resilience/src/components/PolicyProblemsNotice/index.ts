export { PolicyProblemsNotice } from './PolicyProblemsNotice';
