/** The table name every component uses when given none. */
export const DEFAULT_TABLE_NAME = 'tasks';

const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/** Throws a `TypeError` unless `tableName` is a valid DynamoDB table name (3-255 of `A-Za-z0-9_.-`). */
export function assertTableName(tableName: unknown): asserts tableName is string {
  if (typeof tableName !== 'string' || !TABLE_NAME_PATTERN.test(tableName)) {
    throw new TypeError(
      `Invalid DynamoDB table name ${JSON.stringify(tableName)}: use 3 to 255 characters among A-Z a-z 0-9 _ . -`,
    );
  }
}
