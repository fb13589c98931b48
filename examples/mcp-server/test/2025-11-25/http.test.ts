import { afterEach, describe, expect, it } from '@jest/globals';
import { type DemoApp, startDemoApp } from '../../src/2025-11-25/app.js';

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-11-25',
    capabilities: {},
    clientInfo: { name: 'raw-http-test', version: '1.0.0' },
  },
};

function post(url: URL, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('the demo HTTP server', () => {
  let app: DemoApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(): Promise<DemoApp> {
    app = await startDemoApp({
      port: 0,
      backend: 'memory',
      table: 'unused',
      stepMs: 10,
      pollIntervalMs: 10,
      log: () => undefined,
    });
    return app;
  }

  it('keeps a session bound to the user that opened it', async () => {
    const { url } = await start();
    const opened = await post(url, INITIALIZE, { authorization: 'Bearer alice' });
    expect(opened.status).toBe(200);
    const sessionId = opened.headers.get('mcp-session-id') ?? '';
    expect(sessionId).not.toBe('');
    await opened.body?.cancel();
    const list = { jsonrpc: '2.0', id: 2, method: 'tasks/list', params: {} };
    const asBob = await post(url, list, {
      authorization: 'Bearer bob',
      'mcp-session-id': sessionId,
    });
    expect(asBob.status).toBe(403);
    const anonymous = await post(url, list, { 'mcp-session-id': sessionId });
    expect(anonymous.status).toBe(403);
  });

  it('answers 404 for an unknown session and for other paths', async () => {
    const { url } = await start();
    const unknown = await post(
      url,
      { jsonrpc: '2.0', id: 2, method: 'tasks/list', params: {} },
      { 'mcp-session-id': 'no-such-session' },
    );
    expect(unknown.status).toBe(404);
    const elsewhere = await post(new URL('/other', url), INITIALIZE);
    expect(elsewhere.status).toBe(404);
  });
});
