import trivyImage from './trivy-image.sarif.json';

/** The fixture's one run, typed as its JSON reads. */
export type TrivyRun = (typeof trivyImage)['runs'][number];

/** The packages the fixture finds the vulnerability in, in the order of its results. */
export const TRIVY_PACKAGES = ['libcrypto3', 'libssl3', 'openssl'];

/**
 * Trivy's SARIF for an Alpine image in which one OpenSSL vulnerability is found in three
 * packages: three results of one rule at one place (the image, line 1) that only their
 * messages tell apart, and no fingerprints. A fresh copy, changed by `edit` as a later scan
 * would change it.
 */
export function trivyImageScan(
  edit: (run: TrivyRun) => void = () => {},
): typeof trivyImage {
  const document = structuredClone(trivyImage);
  edit(document.runs[0]);
  return document;
}

/** The package a Trivy result message names (`Package: libssl3`). */
export function packageOf(message: string): string | undefined {
  return /^Package: (\S+)/.exec(message)?.[1];
}

/** Sets when the scan ran, as the upload reads it from the invocation. */
export function scannedAt(run: TrivyRun, time: string): void {
  run.invocations[0].startTimeUtc = time;
  run.invocations[0].endTimeUtc = time;
}

/** Rewrites every result message, as a newer vulnerability database would. */
export function editMessages(
  run: TrivyRun,
  edit: (text: string) => string,
): void {
  for (const result of run.results) {
    result.message.text = edit(result.message.text);
  }
}

/** Leaves out the results of one package, as a scan after upgrading it would. */
export function withoutPackage(run: TrivyRun, name: string): void {
  run.results = run.results.filter(r => packageOf(r.message.text) !== name);
}
