import { StatusError } from './status';

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386 JSON merge patch: objects merge, `null` removes, everything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

const invalidPatch = (message: string) =>
  new StatusError(
    422,
    'Invalid',
    `the server rejected our request due to an error in our request: ${message}`,
  );

interface Operation {
  op: string;
  path: string;
  value?: Json;
  from?: string;
}

/** The member or element `token` of a JSON value, undefined when there is none. */
function child(node: Json, token: string): Json {
  if (Array.isArray(node)) return node[Number(token)];
  if (isObject(node)) return node[token];
  return undefined;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw invalidPatch(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: Json, tokens: string[]): [Json, string] {
  let node = document;
  for (const token of tokens.slice(0, -1)) {
    node = child(node, token);
    if (node === undefined)
      throw invalidPatch(`path /${tokens.join('/')} does not exist`);
  }
  return [node, tokens[tokens.length - 1]];
}

function read(document: Json, path: string): Json {
  let node = document;
  for (const token of pointer(path)) {
    node = child(node, token);
    if (node === undefined) throw invalidPatch(`path ${path} does not exist`);
  }
  return node;
}

function remove(document: Json, path: string): Json {
  const [parent, key] = parentOf(document, pointer(path));
  if (Array.isArray(parent)) {
    const i = Number(key);
    if (!(i >= 0 && i < parent.length))
      throw invalidPatch(`path ${path} does not exist`);
    return parent.splice(i, 1)[0];
  }
  if (!isObject(parent) || !(key in parent))
    throw invalidPatch(`path ${path} does not exist`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(
  document: Json,
  path: string,
  value: Json,
  replace: boolean,
): Json {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const [parent, key] = parentOf(document, tokens);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : Number(key);
    if (!(i >= 0 && i <= parent.length))
      throw invalidPatch(`index ${key} out of range in ${path}`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !(key in parent))
      throw invalidPatch(`path ${path} does not exist`);
    parent[key] = value;
  } else {
    throw invalidPatch(`path ${path} does not exist`);
  }
  return document;
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy and test. */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations))
    throw invalidPatch('a JSON patch must be an array of operations');
  let document = structuredClone(target);
  for (const operation of operations as Operation[]) {
    switch (operation.op) {
      case 'add':
        document = add(
          document,
          operation.path,
          structuredClone(operation.value),
          false,
        );
        break;
      case 'replace':
        document = add(
          document,
          operation.path,
          structuredClone(operation.value),
          true,
        );
        break;
      case 'remove':
        remove(document, operation.path);
        break;
      case 'move':
        document = add(
          document,
          operation.path,
          remove(document, operation.from ?? ''),
          false,
        );
        break;
      case 'copy':
        document = add(
          document,
          operation.path,
          structuredClone(read(document, operation.from ?? '')),
          false,
        );
        break;
      case 'test':
        if (
          JSON.stringify(read(document, operation.path)) !==
          JSON.stringify(operation.value)
        ) {
          throw invalidPatch(`testing value ${operation.path} failed`);
        }
        break;
      default:
        throw invalidPatch(`unknown operation "${operation.op}"`);
    }
  }
  return document;
}
