import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from '@jest/globals';
import { type RoundRobinProxy, startRoundRobinProxy } from '../../src/2026-07-28/proxy.js';
import { closeServer, LOOPBACK_HOST, listenOnLoopback } from '../../src/loopback.js';

/** A loopback server that answers every request with its name and the body it got. */
async function startNamed(name: string): Promise<{ server: Server; url: URL }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(`data: first from ${name}\n\n`);
        setTimeout(() => res.end(`data: last from ${name}\n\n`), 50);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${name}:${Buffer.concat(chunks).toString()}`);
    });
  });
  const port = await listenOnLoopback(server, 0);
  return { server, url: new URL(`http://${LOOPBACK_HOST}:${port}/mcp`) };
}

describe('the round-robin proxy', () => {
  const servers: Server[] = [];
  let proxy: RoundRobinProxy | undefined;

  afterEach(async () => {
    await proxy?.close();
    for (const server of servers.splice(0)) if (server.listening) await closeServer(server);
  });

  async function start(): Promise<RoundRobinProxy> {
    const [a, b] = await Promise.all([startNamed('A'), startNamed('B')]);
    servers.push(a.server, b.server);
    proxy = await startRoundRobinProxy([
      { name: 'A', url: a.url },
      { name: 'B', url: b.url },
    ]);
    return proxy;
  }

  it('alternates strictly between its targets, whatever Mcp-Name says', async () => {
    const { url, requests } = await start();
    const answers: string[] = [];
    for (let n = 0; n < 6; n += 1) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'mcp-method': 'tasks/get', 'mcp-name': 'the-same-task' },
        body: `request ${n}`,
      });
      answers.push(await response.text());
    }
    expect(answers).toEqual([
      'A:request 0',
      'B:request 1',
      'A:request 2',
      'B:request 3',
      'A:request 4',
      'B:request 5',
    ]);
    expect(requests.map((request) => request.target).join('')).toBe('ABABAB');
    expect(requests[0]).toEqual({
      target: 'A',
      method: 'tasks/get',
      name: 'the-same-task',
      status: 200,
      refusedBy: [],
    });
  });

  it('streams event streams through as they come', async () => {
    const { url } = await start();
    const response = await fetch(new URL('/stream', url));
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await response.text()).toBe('data: first from A\n\ndata: last from A\n\n');
  });

  it('passes a request a dead target refuses to the next one, and answers 502 when none answers', async () => {
    const { url, requests, nextTarget } = await start();
    await closeServer(servers[0] as Server);
    expect(nextTarget()).toBe('A');
    const answer = await fetch(url, { method: 'POST', body: 'x' });
    expect(await answer.text()).toBe('B:x');
    expect(requests.at(-1)).toMatchObject({ target: 'B', refusedBy: ['A'], status: 200 });
    await closeServer(servers[1] as Server);
    const none = await fetch(url, { method: 'POST', body: 'y' });
    expect(none.status).toBe(502);
  });
});
