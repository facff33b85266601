import {
  DEFAULT_GRADE_BOUNDS,
  Grade,
  GradeBounds,
  GradeDistribution,
  gradeOf,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { chipStyles } from '../chip';
import { DISTRIBUTION_KEYS, gradeColor, scoreText } from '../scores';

const useStyles = makeStyles(theme => {
  const { chip, filled, worst } = chipStyles(theme);
  const color = (grade: Grade | null) => gradeColor(theme, grade);
  return {
    chip: {
      ...chip,
      fontFamily: theme.typography.fontFamily,
      fontSize: theme.typography.caption.fontSize,
    },
    A: filled(color('A')),
    B: filled(color('B')),
    C: filled(color('C')),
    D: filled(color('D')),
    E: filled(color('E')),
    // F reads differently from E without colour.
    F: worst(color('F')),
    // A score in F's range: its colour, without the capitals that mark the grade itself.
    scoreF: filled(color('F')),
    none: filled(color(null)),
    badge: {
      display: 'inline-flex',
      alignItems: 'center',
      justifyContent: 'center',
      minWidth: theme.spacing(10),
      height: theme.spacing(10),
      padding: theme.spacing(0, 1),
      borderRadius: theme.spacing(1),
      border: '3px solid transparent',
      fontFamily: theme.typography.fontFamily,
      fontSize: theme.typography.h2.fontSize,
      fontWeight: theme.typography.fontWeightBold as number,
      lineHeight: 1,
    },
    // No grade is words, not a letter: smaller, so that they fit the badge.
    badgeNone: { fontSize: theme.typography.h6.fontSize },
    distribution: {
      display: 'flex',
      flexWrap: 'wrap',
      gap: theme.spacing(1),
      listStyle: 'none',
      margin: 0,
      padding: 0,
    },
    distributionItem: {
      display: 'inline-flex',
      alignItems: 'center',
      gap: theme.spacing(0.5),
    },
  };
});

/** A grade as a small coloured chip; `No grade` when there is none. */
export function GradeChip(props: { grade: Grade | null }) {
  const classes = useStyles();
  const { grade } = props;
  return (
    <span className={`${classes.chip} ${classes[grade ?? 'none']}`}>
      {grade ?? 'No grade'}
    </span>
  );
}

/**
 * A grade as a big letter in its status colour, named for screen readers (`Grade C`, or
 * `No grade`).
 */
export function GradeBadge(props: { grade: Grade | null }) {
  const classes = useStyles();
  const { grade } = props;
  return (
    <span
      role="img"
      aria-label={grade ? `Grade ${grade}` : 'No grade'}
      className={`${classes.badge} ${classes[grade ?? 'none']} ${
        grade ? '' : classes.badgeNone
      }`}
    >
      {grade ?? 'No grade'}
    </span>
  );
}

/**
 * A score as a chip coloured by the grade it would have, for example `Backups 75`; `no data` in
 * the neutral colour when it has none.
 */
export function ScoreChip(props: {
  label?: string;
  score: number | null;
  bounds?: GradeBounds;
}) {
  const classes = useStyles();
  const { label, score, bounds = DEFAULT_GRADE_BOUNDS } = props;
  const grade = gradeOf(score, bounds);
  return (
    <span
      className={`${classes.chip} ${
        grade === 'F' ? classes.scoreF : classes[grade ?? 'none']
      }`}
    >
      {label ? `${label} ${scoreText(score)}` : scoreText(score)}
    </span>
  );
}

/**
 * How many entities have each grade, best first, and how many have none, as a list named
 * `label` (by default `Grade distribution`); grades without entities are left out when `compact`.
 */
export function GradeDistributionList(props: {
  distribution: GradeDistribution;
  label?: string;
  compact?: boolean;
}) {
  const classes = useStyles();
  const { distribution, label = 'Grade distribution', compact } = props;
  const keys = compact
    ? DISTRIBUTION_KEYS.filter(k => distribution[k] > 0)
    : DISTRIBUTION_KEYS;
  if (keys.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        no entity
      </Typography>
    );
  }
  return (
    <ul className={classes.distribution} aria-label={label}>
      {keys.map(k => (
        <Typography
          key={k}
          component="li"
          variant="body2"
          className={classes.distributionItem}
        >
          <GradeChip grade={k === 'none' ? null : k} />
          <span>{distribution[k]}</span>
        </Typography>
      ))}
    </ul>
  );
}
