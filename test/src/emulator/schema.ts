/** The parts of a CRD's `openAPIV3Schema` the emulator enforces. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  items?: JSONSchemaProps;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

/** One reason an object is invalid, as in a `Status`'s `details.causes`. */
export interface Cause {
  reason:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueTypeInvalid';
  message: string;
  field: string;
}

const DROP = Symbol('drop');

function unknownField(path: string): Cause {
  return {
    reason: 'FieldValueInvalid',
    message: `unknown field "${path}"`,
    field: path,
  };
}

/**
 * Validates a custom object against its structural schema and prunes the fields the schema does
 * not declare, as the API server does for `apiextensions.k8s.io/v1` CRDs: unknown fields are
 * dropped (or refused with `strict`, like `fieldValidation=Strict`), `null` is dropped unless the
 * field is `nullable`, and every other violation is a cause of a 422.
 *
 * `apiVersion`, `kind` and `metadata` at the top are the server's own business and not checked
 * against the schema.
 *
 * @returns the pruned object and the causes (none when valid).
 */
export function validateAndPrune(
  schema: JSONSchemaProps,
  object: Record<string, unknown>,
  options: { strict?: boolean } = {},
): { value: Record<string, unknown>; causes: Cause[] } {
  const causes: Cause[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') {
      value[key] = field;
      continue;
    }
    const fieldSchema = schema.properties?.[key];
    if (!fieldSchema) {
      if (schema['x-kubernetes-preserve-unknown-fields']) value[key] = field;
      else if (options.strict) causes.push(unknownField(key));
      continue;
    }
    const checked = check(fieldSchema, field, key, causes, options);
    if (checked !== DROP) value[key] = checked;
  }
  for (const key of schema.required ?? []) {
    if (
      key !== 'apiVersion' &&
      key !== 'kind' &&
      key !== 'metadata' &&
      !(key in value)
    ) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: key,
      });
    }
  }
  return { value, causes };
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function check(
  schema: JSONSchemaProps,
  value: unknown,
  path: string,
  causes: Cause[],
  options: { strict?: boolean },
): unknown {
  if (value === null) {
    return schema.nullable ? null : DROP;
  }
  const actual = typeOf(value);
  const invalid = (message: string) => {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
      field: path,
    });
    return value;
  };
  if (schema['x-kubernetes-int-or-string']) {
    return actual === 'integer' || actual === 'string'
      ? value
      : invalid('must be an integer or a string');
  }
  const expected = schema.type;
  if (expected) {
    const ok =
      expected === actual ||
      (expected === 'number' && actual === 'integer') ||
      (expected === 'object' && actual === 'object');
    if (!ok) {
      causes.push({
        reason: 'FieldValueTypeInvalid',
        message: `Invalid value: "${actual}": ${path} in body must be of type ${expected}: "${actual}"`,
        field: path,
      });
      return value;
    }
  }
  if (schema.enum && !schema.enum.some(e => e === value)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${JSON.stringify(
        value,
      )}: supported values: ${schema.enum
        .map(e => JSON.stringify(e))
        .join(', ')}`,
      field: path,
    });
  }
  if (typeof value === 'string') {
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) {
      invalid(`${path} in body must be of type date-time`);
    }
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      invalid(`${path} in body should match '${schema.pattern}'`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      invalid(
        `${path} in body should be at most ${schema.maxLength} chars long`,
      );
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      invalid(
        `${path} in body should be at least ${schema.minLength} chars long`,
      );
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      invalid(
        `${path} in body should be greater than or equal to ${schema.minimum}`,
      );
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      invalid(
        `${path} in body should be less than or equal to ${schema.maximum}`,
      );
    }
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      invalid(`${path} in body should have at most ${schema.maxItems} items`);
    }
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      invalid(`${path} in body should have at least ${schema.minItems} items`);
    }
    if (!schema.items) return value;
    return value
      .map((item, i) =>
        check(schema.items!, item, `${path}[${i}]`, causes, options),
      )
      .filter(item => item !== DROP);
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    if (!schema.properties && !schema.additionalProperties) {
      // A structural object without declared fields keeps its content only when told to.
      return schema['x-kubernetes-preserve-unknown-fields'] ? value : {};
    }
    const result: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(object)) {
      const fieldPath = `${path}.${key}`;
      const fieldSchema =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object'
          ? schema.additionalProperties
          : undefined);
      if (fieldSchema) {
        const checked = check(fieldSchema, field, fieldPath, causes, options);
        if (checked !== DROP) result[key] = checked;
      } else if (
        schema.additionalProperties === true ||
        schema['x-kubernetes-preserve-unknown-fields']
      ) {
        result[key] = field;
      } else if (options.strict) {
        causes.push(unknownField(fieldPath));
      }
    }
    for (const key of schema.required ?? []) {
      if (!(key in result)) {
        causes.push({
          reason: 'FieldValueRequired',
          message: 'Required value',
          field: `${path}.${key}`,
        });
      }
    }
    return result;
  }
  return value;
}
