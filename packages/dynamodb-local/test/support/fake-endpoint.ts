import { createServer, type IncomingHttpHeaders } from 'node:http';
import { LOOPBACK_HOST } from '../../src/index.js';

/** One answer of a `FakeEndpoint`: an HTTP status and a body, or no answer at all. */
export type FakeAnswer = { status: number; body: string } | 'hang';

/** A request a `FakeEndpoint` received. */
export interface ReceivedRequest {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server that answers each request with the next of its scripted answers. */
export interface FakeEndpoint {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Every request received so far. */
  requests: ReceivedRequest[];
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

/** The answer DynamoDB gives a `ListTables` on an empty database. */
export const TABLE_LIST: FakeAnswer = { status: 200, body: '{"TableNames":[]}' };

/**
 * Starts a `FakeEndpoint` that gives `answers` in turn, then repeats the last one; `'hang'` holds
 * the request open without answering.
 */
export function startFakeEndpoint(answers: FakeAnswer[]): Promise<FakeEndpoint> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({
        method: request.method,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers[Math.min(requests.length, answers.length) - 1] ?? TABLE_LIST;
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(answer.body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('The fake endpoint has no port'));
        return;
      }
      resolve({
        endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
        requests,
        close: () =>
          new Promise((closed) => {
            server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    });
  });
}
