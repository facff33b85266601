/*
 * yarn generate --out DIR [--now ISO] [--seed N]
 *   [--teams N --services-per-team N [--first-team-services N] [--days N] [--claims-per-service N]
 *    [--certificates-per-service N] [--hourly-runs N] [--catalog FILE [--catalog-only-services N]]]
 *
 * Writes the manifests of a demo cluster (or, with --teams, a synthetic one of that size), and
 * into DIR/sarif the SARIF logs of the demo services' SAST history with their upload plan. With
 * --catalog, the synthetic cluster's catalog (a Group per team, a Component per service) goes to
 * FILE: outside DIR, whose every YAML file the emulator serves. The demo's catalog is the
 * repository's catalog-info.yaml.
 */
import { join, resolve } from 'node:path';
import {
  DEMO_SERVICES,
  generateDemoCluster,
  generateDemoSast,
  generateScaleCatalog,
  writeCatalog,
  writeManifests,
  writeSastPlan,
} from './index';

const usage =
  'usage: yarn generate --out DIR [--now ISO-8601] [--seed N] [--teams N --services-per-team N [--first-team-services N] [--days N] [--claims-per-service N] [--certificates-per-service N] [--hourly-runs N] [--catalog FILE [--catalog-only-services N]]]';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function count(name: string): number | undefined {
  const value = option(name);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(
      `--${name} must be a whole number of at least 1, not "${value}"`,
    );
    process.exit(2);
  }
  return n;
}

async function main() {
  const out = option('out');
  if (!out || process.argv.includes('--help')) {
    console.log(usage);
    process.exit(out ? 0 : 2);
  }
  const nowText = option('now');
  const now = nowText ? new Date(nowText) : new Date();
  if (Number.isNaN(now.getTime())) {
    console.error(`--now must be an ISO 8601 time, not "${nowText}"`);
    process.exit(2);
  }
  const teams = count('teams');
  const servicesPerTeam = count('services-per-team');
  if ((teams === undefined) !== (servicesPerTeam === undefined)) {
    console.error('--teams and --services-per-team go together');
    process.exit(2);
  }
  const catalog = option('catalog');
  if (process.argv.includes('--catalog') && !catalog) {
    console.error('--catalog needs the file to write');
    process.exit(2);
  }
  if (catalog !== undefined && !teams) {
    console.error(
      '--catalog needs --teams and --services-per-team; the demo catalog is catalog-info.yaml',
    );
    process.exit(2);
  }
  if (
    process.argv.includes('--catalog-only-services') &&
    catalog === undefined
  ) {
    console.error(
      '--catalog-only-services adds to the catalog: give --catalog too',
    );
    process.exit(2);
  }
  const scaleOnly = [
    'first-team-services',
    'days',
    'claims-per-service',
    'certificates-per-service',
    'hourly-runs',
  ].filter(name => process.argv.includes(`--${name}`));
  if (scaleOnly.length > 0 && !teams) {
    console.error(
      `${scaleOnly
        .map(name => `--${name}`)
        .join(
          ', ',
        )} shape a synthetic cluster: give --teams and --services-per-team too`,
    );
    process.exit(2);
  }
  const scale = teams
    ? {
        teams,
        servicesPerTeam: servicesPerTeam!,
        firstTeamServices: count('first-team-services'),
        days: count('days'),
        claimsPerService: count('claims-per-service'),
        certificatesPerService: count('certificates-per-service'),
        hourlyRuns: count('hourly-runs'),
      }
    : undefined;
  const objects = generateDemoCluster({ now, seed: count('seed'), scale });
  const counts = await writeManifests(resolve(out), objects);
  console.log(
    `Wrote ${objects.length} objects to ${resolve(out)}: ${Object.entries(
      counts,
    )
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ')}`,
  );
  if (catalog !== undefined) {
    const entities = generateScaleCatalog(scale!, {
      catalogOnlyServices: count('catalog-only-services'),
    });
    await writeCatalog(resolve(catalog), entities);
    console.log(
      `Wrote ${entities.length} catalog entities to ${resolve(catalog)}`,
    );
  }
  // The synthetic cluster's services are not in the demo catalog: nothing to upload for them.
  const history = generateDemoSast({
    now,
    services: teams ? [] : DEMO_SERVICES,
  });
  const sarifDir = join(resolve(out), 'sarif');
  await writeSastPlan({ dir: sarifDir, now, history });
  console.log(
    `Wrote ${history.length} SARIF logs and their upload plan to ${sarifDir}`,
  );
}

main().catch(error => {
  console.error(`generate: ${error.message}`);
  process.exit(1);
});
