import { startHttpServer } from './http.js';
import { createDemoServer } from './server.js';
import { type BackendKind, openStorage } from '../storage.js';

/** Everything the demo server is started with. */
export interface DemoAppOptions {
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  backend: BackendKind;
  /** DynamoDB endpoint; without one, DynamoDB Local is started. */
  endpoint?: string;
  /** DynamoDB table, created when missing. */
  table: string;
  /** AWS region for an AWS endpoint. */
  region?: string;
  /** Duration of one step of the tools' work, in ms. */
  stepMs: number;
  /** Poll interval the tasks suggest to clients, in ms. */
  pollIntervalMs: number;
  /** Where progress lines go. */
  log: (line: string) => void;
}

/** A running demo server. */
export interface DemoApp {
  /** The MCP endpoint. */
  url: URL;
  /** One line naming the storage backend. */
  storage: string;
  /** Stops the server, then releases the storage. */
  close(): Promise<void>;
}

/** Opens the storage and serves the demo tools over Streamable HTTP on 127.0.0.1. */
export async function startDemoApp(options: DemoAppOptions): Promise<DemoApp> {
  const storage = await openStorage(options);
  try {
    const http = await startHttpServer({
      port: options.port,
      createServer: (user) =>
        createDemoServer({
          storage,
          ...(user === undefined ? {} : { owner: user }),
          tools: {
            stepMs: options.stepMs,
            pollIntervalMs: options.pollIntervalMs,
            onError: (error) => options.log(`background work failed: ${String(error)}`),
          },
        }),
      onError: (error) => options.log(`request failed: ${String(error)}`),
    });
    return {
      url: http.url,
      storage: storage.description,
      close: async () => {
        await http.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
