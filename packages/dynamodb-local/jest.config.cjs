/** Unit tests: no Java, no container runtime; the tests that start DynamoDB Local are in test/integration/. */
module.exports = {
  ...require('../../jest.config.base.cjs'),
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/integration/'],
};
