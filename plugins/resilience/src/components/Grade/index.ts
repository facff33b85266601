export {
  GradeBadge,
  GradeChip,
  GradeDistributionList,
  ScoreChip,
} from './Grade';
