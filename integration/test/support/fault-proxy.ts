import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { LOOPBACK_HOST } from '@tasks/dynamodb-local';
import { createProxyServer } from 'http-proxy-3';

/** The DynamoDB operations whose responses the proxy can drop: the writes the backend makes. */
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem']);

/** What happens to one write (every attempt the SDK sends for it). */
export interface WriteFault {
  /**
   * How many of its attempts, from the first, reach DynamoDB and then lose their response: 1 lets
   * the SDK's first resend answer; the client's `maxAttempts` leaves every attempt unanswered.
   */
  dropResponses: number;
  /** Run after the first attempt was applied and before any resend is forwarded: another writer. */
  beforeResend?: () => Promise<void>;
}

/** What the proxy saw of one faulted write. */
export interface FaultedWrite {
  /** `PutItem` or `UpdateItem`. */
  operation: string;
  /** Attempts the SDK sent. */
  attempts: number;
  /** Responses dropped after DynamoDB answered. */
  dropped: number;
  /** DynamoDB's status for the first attempt: 200 means the write was applied. */
  firstStatus: number | undefined;
}

/** A loopback HTTP proxy in front of DynamoDB that loses the responses of chosen writes. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the client as its endpoint. */
  endpoint: string;
  /** Faults the next write that starts (its first attempt); faults queue up in order. */
  faultNextWrite(fault: WriteFault): void;
  /** Takes back the faults no write took yet; returns how many there were. */
  disarm(): number;
  /** Every faulted write so far, in order. */
  faulted(): readonly FaultedWrite[];
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

/** One write in flight: its fault and what happened to it so far. */
interface Invocation {
  fault: WriteFault;
  record: FaultedWrite;
  /** Settles once `beforeResend` has run (it runs once, before the first resend). */
  resendReady?: Promise<void>;
}

/**
 * Starts a proxy on 127.0.0.1 (a port the kernel picks) that forwards every request to `target`
 * with http-proxy-3. A write chosen by `faultNextWrite` is forwarded, DynamoDB applies it and
 * answers, and the proxy reads that answer and destroys the client's connection instead of
 * passing it on: the SDK sees a reset connection and resends the same request (its invocation id
 * stays the same, its attempt number rises), as after a response lost in the network.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy = createProxyServer({ target, selfHandleResponse: true });
  const pending: WriteFault[] = [];
  const invocations = new Map<string, Invocation>();
  const records: FaultedWrite[] = [];
  const sockets = new Set<Socket>();
  const drops = new WeakMap<IncomingMessage, Invocation>();

  proxy.on('proxyRes', (proxyRes, req, res) => {
    const invocation = drops.get(req);
    if (invocation === undefined) {
      res.writeHead(proxyRes.statusCode ?? 502, proxyRes.headers);
      proxyRes.pipe(res);
      return;
    }
    invocation.record.firstStatus ??= proxyRes.statusCode;
    proxyRes.resume();
    proxyRes.on('end', () => {
      invocation.record.dropped += 1;
      res.socket?.destroy();
    });
  });

  const server = createServer((req, res) => {
    void forward(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const invocation = invocationOf(req);
    if (invocation !== undefined) {
      const attempt = invocation.record.attempts;
      invocation.record.attempts += 1;
      if (attempt > 0 && invocation.fault.beforeResend !== undefined) {
        invocation.resendReady ??= invocation.fault.beforeResend();
        await invocation.resendReady;
      }
      if (attempt < invocation.fault.dropResponses) drops.set(req, invocation);
    }
    proxy.web(req, res, {}, () => {
      res.socket?.destroy();
    });
  }

  /** The faulted write `req` is an attempt of, taking the next fault when it is a new write. */
  function invocationOf(req: IncomingMessage): Invocation | undefined {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const id = req.headers['amz-sdk-invocation-id'];
    if (!WRITE_OPERATIONS.has(operation) || typeof id !== 'string') return undefined;
    const known = invocations.get(id);
    if (known !== undefined || !isFirstAttempt(req)) return known;
    const fault = pending.shift();
    if (fault === undefined) return undefined;
    const invocation: Invocation = {
      fault,
      record: { operation, attempts: 0, dropped: 0, firstStatus: undefined },
    };
    invocations.set(id, invocation);
    records.push(invocation.record);
    return invocation;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The proxy has no port');
  return {
    endpoint: `http://${LOOPBACK_HOST}:${address.port}`,
    faultNextWrite: (fault) => {
      pending.push(fault);
    },
    disarm: () => pending.splice(0).length,
    faulted: () => records,
    close: () =>
      new Promise((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** Whether `req` is the SDK's first attempt of its request (`amz-sdk-request: attempt=1; ...`). */
function isFirstAttempt(req: IncomingMessage): boolean {
  return /(^|;)\s*attempt=1\s*(;|$)/.test(String(req.headers['amz-sdk-request'] ?? ''));
}
