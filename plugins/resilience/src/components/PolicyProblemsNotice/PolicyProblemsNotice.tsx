import { EffectiveBackupPolicy } from '@resilience-for-backstage/plugin-resilience-common';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/** Properties of {@link PolicyProblemsNotice}. */
export interface PolicyProblemsNoticeProps {
  policy: EffectiveBackupPolicy;
}

/**
 * Says what is wrong with the entity's policy annotations. The checks then run against the
 * tier's values, which the team did not ask for, so this must not go unnoticed; renders nothing
 * when the annotations are fine.
 */
export function PolicyProblemsNotice(props: PolicyProblemsNoticeProps) {
  const { problems, tier } = props.policy;
  if (problems.length === 0) {
    return null;
  }
  return (
    <Alert severity="warning">
      <AlertTitle>
        The entity's policy annotations cannot be used; the checks use the
        values of tier {tier} instead
      </AlertTitle>
      <ul>
        {problems.map(problem => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </Alert>
  );
}
