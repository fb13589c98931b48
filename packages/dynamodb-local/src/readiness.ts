import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { isAwsEndpoint, LOCAL_CREDENTIALS, LOCAL_REGION } from './client-config.js';
import { DynamoDbLocalUnavailableError } from './errors.js';

/** How `waitUntilAnswering` polls. */
export interface ReadinessOptions {
  /** Total time to wait before giving up, in milliseconds (default 60,000). */
  timeoutMs?: number;
  /** Time one ListTables request may take, in milliseconds (default 2,000). */
  requestTimeoutMs?: number;
  /** Pause between two attempts, in milliseconds (default 150). */
  intervalMs?: number;
  /** Says why waiting is pointless (the server process exited...), or `undefined` to go on. */
  abortReason?: () => string | undefined;
}

const LIST_TABLES_BODY = JSON.stringify({ Limit: 1 });

/**
 * Resolves once `endpoint` answers a `ListTables` request, sent as plain HTTP (no AWS SDK): a 2xx
 * answer, or a 4xx one such as access denied (the service is up). DynamoDB Local gets its dummy
 * credentials and so lists its tables; an AWS endpoint gets an unsigned request and answers 400.
 * Each attempt has a short timeout and the whole wait is bounded. Throws
 * `DynamoDbLocalUnavailableError` with the last failure when the bound passes or `abortReason`
 * reports one.
 */
export async function waitUntilAnswering(
  endpoint: string,
  options: ReadinessOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 2_000;
  const intervalMs = options.intervalMs ?? 150;
  const url = new URL(endpoint);
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const aborted = options.abortReason?.();
    if (aborted !== undefined) {
      throw new DynamoDbLocalUnavailableError(`${endpoint} will not answer: ${aborted}`);
    }
    try {
      const answer = await sendListTables(url, requestTimeoutMs);
      if (isServiceAnswer(answer)) return;
      lastError = new Error(
        `ListTables answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}`,
      );
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new DynamoDbLocalUnavailableError(
        `${endpoint} did not answer ListTables within ${timeoutMs} ms: ${describe(lastError)}`,
        { cause: lastError },
      );
    }
    await delay(intervalMs);
  }
}

/** The status and body of one HTTP answer. */
interface HttpAnswer {
  status: number;
  body: string;
}

/** Sends one `ListTables` on a connection of its own; rejects on a network error or after `timeoutMs`. */
function sendListTables(url: URL, timeoutMs: number): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, { method: 'POST', agent: false, headers: headersFor(url) });
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    request.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.once('response', (response) => {
      readBody(response).then(
        (body) => {
          clearTimeout(timer);
          resolve({ status: response.statusCode ?? 0, body });
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
    request.end(LIST_TABLES_BODY);
  });
}

/** A table list (2xx), or a 4xx refusal such as access denied: either way the service is up. */
function isServiceAnswer({ status, body }: HttpAnswer): boolean {
  if (status >= 400 && status < 500) return true;
  return status >= 200 && status < 300 && listsTables(body);
}

function headersFor(url: URL): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': String(Buffer.byteLength(LIST_TABLES_BODY)),
    'x-amz-target': 'DynamoDB_20120810.ListTables',
  };
  if (!isAwsEndpoint(url.href)) {
    // DynamoDB Local reads the access key from the credential scope and checks no signature.
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${LOCAL_CREDENTIALS.accessKeyId}/20000101/${LOCAL_REGION}/dynamodb/aws4_request, SignedHeaders=host, Signature=0`;
  }
  return headers;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('error', reject);
  });
}

function listsTables(body: string): boolean {
  try {
    return Array.isArray((JSON.parse(body) as { TableNames?: unknown }).TableNames);
  } catch {
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
