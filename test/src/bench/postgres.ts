import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

async function withClient<T>(
  connectionString: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  // The maintenance database: the run's own do not exist yet, or are to be dropped.
  const url = new URL(connectionString);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The server's version, for example `15.8 (Debian 15.8-0+deb12u1)`. */
export async function postgresVersion(
  connectionString: string,
): Promise<string> {
  return withClient(connectionString, async client => {
    const { rows } = await client.query<{ server_version: string }>(
      'SHOW server_version',
    );
    return rows[0].server_version;
  });
}

/**
 * A prefix of database names of its own for one run: Backstage makes one database per plugin,
 * `<prefix><pluginId>`, on first use, so every database of the run is new.
 */
export function runDatabasePrefix(): string {
  return `resilience_bench_${randomBytes(4).toString('hex')}_`;
}

/** Drops every database whose name starts with the prefix, even if connections are left. */
export async function dropRunDatabases(options: {
  connectionString: string;
  prefix: string;
}): Promise<string[]> {
  if (!/^[a-z0-9_]+_$/.test(options.prefix)) {
    throw new Error(`not a database prefix of the bench: ${options.prefix}`);
  }
  return withClient(options.connectionString, async client => {
    const { rows } = await client.query<{ datname: string }>(
      // `_` matches any character in LIKE: compare the prefix itself.
      'SELECT datname FROM pg_database WHERE left(datname, $1) = $2',
      [options.prefix.length, options.prefix],
    );
    for (const { datname } of rows) {
      // The name is one the query returned, from the checked prefix and a plugin id.
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    return rows.map(r => r.datname);
  });
}
