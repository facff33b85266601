export {
  EntityResilienceContent,
  EntityResilienceView,
} from './EntityResilienceContent';
