import Ajv, { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import { InputError } from '@backstage/errors';
import sarifSchema from './schema/sarif-schema-2.1.0.json';
import { SarifLog } from './sarifLog';

/** How many schema errors an `InputError` lists; the rest are only counted. */
const MAX_REPORTED_ERRORS = 5;

let compiled: ValidateFunction | undefined;

/**
 * The schema validator, compiled on first use: compiling the SARIF schema takes tens of
 * milliseconds, too much to repeat per upload, and needless for a backend that never sees one.
 */
function sarifValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({
      allErrors: true,
      // Formats (`uri`, `date-time`) are not checked: tools write unescaped paths into URI
      // fields, and GitHub accepts them; the normaliser reads such values leniently.
      validateFormats: false,
      // The OASIS schema is used unchanged, so Ajv's stricter-than-draft-04 checks of the
      // schema itself (e.g. `uniqueItems` next to `type: ["array", "null"]`) must not refuse it.
      strict: false,
    });
    compiled = ajv.compile(sarifSchema);
  }
  return compiled;
}

/** `/runs/0/tool/driver: must have required property 'name'`, naming extra or allowed values. */
function describeError(error: ErrorObject): string {
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  let what = error.message ?? 'is invalid';
  if (error.keyword === 'additionalProperties') {
    what += ` ('${String(params.additionalProperty)}')`;
  } else if (error.keyword === 'enum') {
    what += ` (${JSON.stringify(params.allowedValues)})`;
  }
  return `${where}: ${what}`;
}

/**
 * Checks that a parsed JSON document is a SARIF 2.1.0 log, against the OASIS SARIF 2.1.0 schema.
 *
 * @param document - the parsed JSON of an uploaded report
 * @throws InputError naming the first few problems by JSON pointer, e.g.
 *   `/runs/0/tool/driver: must have required property 'name'`
 */
export function validateSarif(document: unknown): asserts document is SarifLog {
  if (
    typeof document !== 'object' ||
    document === null ||
    Array.isArray(document)
  ) {
    throw new InputError(
      'Invalid SARIF log: /: must be an object with "version" and "runs"',
    );
  }
  // Checked before the schema so that a SARIF 2.0 or 1.0 log gets one clear message rather
  // than dozens of errors from a schema it was never meant to follow.
  const version = (document as { version?: unknown }).version;
  if (version !== '2.1.0') {
    throw new InputError(
      `Invalid SARIF log: /version: must be "2.1.0", found ${
        version === undefined ? 'none' : JSON.stringify(version)
      }; only SARIF 2.1.0 is accepted`,
    );
  }

  const validate = sarifValidator();
  if (validate(document)) {
    return;
  }
  const errors = validate.errors ?? [];
  const described = [...new Set(errors.map(describeError))];
  const listed = described.slice(0, MAX_REPORTED_ERRORS);
  const more =
    described.length > listed.length
      ? `; and ${described.length - listed.length} more`
      : '';
  throw new InputError(`Invalid SARIF log: ${listed.join('; ')}${more}`);
}
