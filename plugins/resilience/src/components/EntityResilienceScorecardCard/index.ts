export {
  EntityResilienceScorecardCard,
  SCORECARD_CARD_TITLE,
} from './EntityResilienceScorecardCard';
