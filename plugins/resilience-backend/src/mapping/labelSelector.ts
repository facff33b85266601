import { InputError } from '@backstage/errors';

/** One requirement of a Kubernetes label selector. */
export type LabelRequirement =
  | { key: string; operator: 'In' | 'NotIn'; values: string[] }
  | { key: string; operator: 'Exists' | 'DoesNotExist' };

/** A Kubernetes `LabelSelector` object, as in a Velero Backup's `spec.labelSelector`. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/**
 * Parses the string form of a label selector (as in `kubectl -l` and the
 * `backstage.io/kubernetes-label-selector` annotation): comma-separated requirements of the forms
 * `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` and `!k`.
 *
 * @throws InputError saying which part could not be read.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const text = part.trim();
    if (!text) {
      continue;
    }
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(text);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(Boolean);
      requirements.push({
        key: m[1],
        operator: m[2] === 'in' ? 'In' : 'NotIn',
        values,
      });
      continue;
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(text);
    if (m) {
      requirements.push({
        key: m[1],
        operator: m[2] === '!=' ? 'NotIn' : 'In',
        values: [m[3]],
      });
      continue;
    }
    m = /^(!?)\s*([^\s!=(),]+)$/.exec(text);
    if (m) {
      requirements.push({
        key: m[2],
        operator: m[1] ? 'DoesNotExist' : 'Exists',
      });
      continue;
    }
    throw new InputError(
      `Cannot read "${text}" in the label selector "${selector}"; use forms like app=web, tier in (db,cache), !legacy`,
    );
  }
  return requirements;
}

/** Converts a `LabelSelector` object into requirements; unknown operators match nothing. */
export function requirementsOfSelectorObject(
  selector: LabelSelectorObject,
): LabelRequirement[] {
  const requirements: LabelRequirement[] = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  for (const expression of selector.matchExpressions ?? []) {
    const operator = expression.operator;
    if (operator === 'In' || operator === 'NotIn') {
      requirements.push({
        key: expression.key,
        operator,
        values: expression.values ?? [],
      });
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      requirements.push({ key: expression.key, operator });
    } else {
      // An operator the API server would have refused: match nothing rather than everything.
      requirements.push({ key: expression.key, operator: 'In', values: [] });
    }
  }
  return requirements;
}

/** True when the labels satisfy every requirement (an empty selector matches everything). */
export function labelsMatch(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  const actual = labels ?? {};
  return requirements.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(actual, requirement.key);
    switch (requirement.operator) {
      case 'In':
        return has && requirement.values.includes(actual[requirement.key]);
      case 'NotIn':
        return !has || !requirement.values.includes(actual[requirement.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/** Splits on commas that are not inside parentheses: `a in (x,y),b` has two parts. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
