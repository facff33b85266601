import { badRequest } from './status';

type Requirement = (labels: Record<string, string>) => boolean;

/**
 * Compiles a label selector as the API server accepts it in `labelSelector`: requirements joined
 * by commas, each `key`, `!key`, `key=value`, `key==value`, `key!=value`, `key in (a,b)` or
 * `key notin (a,b)`. Invalid syntax is a 400, as on a real server.
 */
export function compileLabelSelector(selector: string): Requirement {
  const requirements: Requirement[] = [];
  let rest = selector.trim();
  while (rest.length > 0) {
    const setMatch = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)\s*(,|$)/.exec(
      rest,
    );
    const eqMatch = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)\s*(,|$)/.exec(rest);
    const existsMatch = /^(!?)\s*([\w./-]+)\s*(,|$)/.exec(rest);
    if (setMatch) {
      const [, key, op, list] = setMatch;
      const values = new Set(
        list
          .split(',')
          .map(v => v.trim())
          .filter(Boolean),
      );
      requirements.push(labels =>
        op === 'in'
          ? key in labels && values.has(labels[key])
          : !(key in labels) || !values.has(labels[key]),
      );
      rest = rest.slice(setMatch[0].length).trim();
    } else if (eqMatch) {
      const [, key, op, value] = eqMatch;
      requirements.push(labels =>
        op === '!=' ? labels[key] !== value : labels[key] === value,
      );
      rest = rest.slice(eqMatch[0].length).trim();
    } else if (existsMatch) {
      const [, not, key] = existsMatch;
      requirements.push(labels => (not ? !(key in labels) : key in labels));
      rest = rest.slice(existsMatch[0].length).trim();
    } else {
      throw badRequest(`unable to parse requirement: "${rest}"`);
    }
  }
  return labels => requirements.every(r => r(labels));
}

/**
 * Compiles a field selector (`a.b=c`, `a.b==c`, `a.b!=c`, comma-joined) over the fields the
 * resource supports; any other field is a 400, as on a real server.
 */
export function compileFieldSelector(
  selector: string,
  supported: string[],
): (object: Record<string, unknown>) => boolean {
  const tests = selector
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)
    .map(part => {
      const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
      if (!m) throw badRequest(`invalid selector: '${selector}'`);
      const [, field, op, value] = m;
      if (!supported.includes(field)) {
        throw badRequest(`field label not supported: ${field}`);
      }
      return (object: Record<string, unknown>) => {
        const actual = field
          .split('.')
          .reduce<unknown>(
            (v, k) =>
              v && typeof v === 'object'
                ? (v as Record<string, unknown>)[k]
                : undefined,
            object,
          );
        const text =
          actual === undefined || actual === null ? '' : String(actual);
        return op === '!=' ? text !== value : text === value;
      };
    });
  return object => tests.every(t => t(object));
}
