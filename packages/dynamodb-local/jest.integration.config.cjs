// The AWS SDK warns on every client that Node 20 loses support in 2027; the tests need not say so.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Integration tests: each file starts DynamoDB Local itself (DYNAMODB_ENDPOINT, a container or the jar). */
module.exports = {
  ...require('../../jest.config.base.cjs'),
  testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
  testTimeout: 120_000,
};
