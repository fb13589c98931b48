export type { DynamoDbClients } from './clients.js';
export { createDynamoDbClients } from './clients.js';
export type { TestTable, TestTableOptions } from './test-table.js';
export { createTestTable } from './test-table.js';
