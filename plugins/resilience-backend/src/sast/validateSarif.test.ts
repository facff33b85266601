import { InputError } from '@backstage/errors';
import { validateSarif } from './validateSarif';

const minimal = {
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'scanner' } }, results: [] }],
};

function messageOf(document: unknown): string {
  try {
    validateSarif(document);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the document to be refused');
}

describe('validateSarif', () => {
  it.each([
    ['a minimal log', minimal],
    ['a log without runs', { version: '2.1.0', runs: null }],
    [
      'a log with a result, rules and tool properties',
      {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
          {
            tool: {
              driver: {
                name: 'scanner',
                rules: [
                  { id: 'R1', properties: { 'security-severity': '9.8' } },
                ],
              },
            },
            automationDetails: { id: 'backend/nightly-1' },
            results: [
              {
                ruleId: 'R1',
                message: { text: 'found' },
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: 'src/a.js' },
                      region: { startLine: 3 },
                    },
                  },
                ],
                partialFingerprints: { primaryLocationLineHash: 'abc:1' },
              },
            ],
          },
        ],
      },
    ],
  ])('accepts %s', (_, document) => {
    expect(() => validateSarif(document)).not.toThrow();
  });

  it.each([
    ['not an object', 'hello', /\/: must be an object/],
    ['an array', [minimal], /\/: must be an object/],
    ['null', null, /\/: must be an object/],
    [
      'a log without version',
      { runs: [] },
      /\/version: must be "2\.1\.0", found none/,
    ],
    [
      'a SARIF 2.0 log',
      { ...minimal, version: '2.0.0' },
      /\/version: must be "2\.1\.0", found "2\.0\.0"/,
    ],
    [
      'a tool without a name',
      { version: '2.1.0', runs: [{ tool: { driver: {} } }] },
      /\/runs\/0\/tool\/driver: must have required property 'name'/,
    ],
    [
      'a log without runs',
      { version: '2.1.0' },
      /\/: must have required property 'runs'/,
    ],
    [
      'a result without a message',
      {
        version: '2.1.0',
        runs: [
          { tool: { driver: { name: 'x' } }, results: [{ ruleId: 'R1' }] },
        ],
      },
      /\/runs\/0\/results\/0: must have required property 'message'/,
    ],
    [
      'an unknown level',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [{ message: { text: 'm' }, level: 'fatal' }],
          },
        ],
      },
      /\/runs\/0\/results\/0\/level: must be equal to one of the allowed values \(\["none","note","warning","error"\]\)/,
    ],
    [
      'an unknown top-level property',
      { ...minimal, extra: true },
      /\/: must NOT have additional properties \('extra'\)/,
    ],
    [
      'a line number of zero',
      {
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'x' } },
            results: [
              {
                message: { text: 'm' },
                locations: [{ physicalLocation: { region: { startLine: 0 } } }],
              },
            ],
          },
        ],
      },
      /\/runs\/0\/results\/0\/locations\/0\/physicalLocation\/region\/startLine: must be >= 1/,
    ],
  ])('refuses %s, saying where', (_, document, expected) => {
    expect(messageOf(document)).toMatch(expected);
  });

  it('lists at most five problems and counts the rest', () => {
    const runs = Array.from({ length: 8 }, () => ({ tool: {} }));
    const message = messageOf({ version: '2.1.0', runs });
    expect(message.match(/must have required property 'driver'/g)).toHaveLength(
      5,
    );
    expect(message).toMatch(/; and 3 more$/);
    expect(message).toMatch(/^Invalid SARIF log: \/runs\/0\/tool: /);
  });
});
