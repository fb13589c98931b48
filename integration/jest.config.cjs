/**
 * Integration tests against a real DynamoDB: the global setup provides one endpoint per run
 * (DYNAMODB_ENDPOINT, the amazon/dynamodb-local container, or the bundled jar), and every test
 * file works in a table of its own.
 */
module.exports = {
  ...require('../jest.config.base.cjs'),
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60_000,
};
