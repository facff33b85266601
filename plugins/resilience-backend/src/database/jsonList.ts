/** Lists of any length as one statement parameter. */

import { Knex } from 'knex';

/**
 * `column in (values)` for a list of any length, as one parameter: a JSON array the database
 * unpacks, so that a statement covers them all (an `in` list of bound values needs one statement
 * per few hundred, and each may be planned as a scan of its own).
 */
export function inJsonList(
  db: Knex,
  column: string,
  values: Array<string | number>,
): Knex.Raw {
  const json = JSON.stringify(values);
  if (db.client.config.client !== 'pg') {
    return db.raw('?? in (select value from json_each(?))', [column, json]);
  }
  // An array computed once, which an index can be scanned with; a subquery of the elements would
  // be planned as a function of a hundred rows, and joined with a nested loop.
  const type = typeof values[0] === 'number' ? 'bigint' : 'text';
  return db.raw(
    `?? = any(array(select value::${type} from json_array_elements_text(?::json)))`,
    [column, json],
  );
}
