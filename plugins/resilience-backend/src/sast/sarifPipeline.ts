import { normaliseSarif } from './normaliseSarif';
import { NormalisedReport } from './types';
import { validateSarif } from './validateSarif';

/**
 * An uploaded document as a normalised report: validated against the SARIF 2.1.0 schema
 * (an `InputError` says what is wrong and where), then normalised.
 *
 * @param repositoryRoot - where the scanner ran, when it wrote absolute `file://` URIs
 *   (ESLint does): paths under it become relative to the repository.
 */
export function parseSarifReport(
  document: unknown,
  repositoryRoot?: string,
): NormalisedReport {
  validateSarif(document);
  return normaliseSarif({ document, repositoryRoot });
}
