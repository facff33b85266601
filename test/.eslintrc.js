// The test tools are run from source and never bundled, so `__dirname` is where the file is:
// the rule against it (aimed at built backend packages) does not apply here.
module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: { 'no-restricted-syntax': 'off' },
});
