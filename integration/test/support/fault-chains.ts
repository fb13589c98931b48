import {
  type GenericTaskMessageQueue,
  type GenericTaskStore,
  type JsonObject,
  recordKey,
  type StorageBackend,
  type TaskSnapshot,
} from '@tasks/core';
import {
  faultOf,
  type FaultLedger,
  type FaultMode,
  settle,
  type Settlement,
} from './fault-ledger.js';
import type { FaultProxy } from './fault-proxy.js';

/** What every faulted call needs: the proxy, the ledger, and a view of the table past the proxy. */
export interface FaultContext {
  proxy: FaultProxy;
  ledger: FaultLedger;
  /** The mode of the next faulted write. */
  nextMode: () => FaultMode;
  /** A backend straight on the table (not through the proxy), to read what is stored. */
  inspect: StorageBackend;
  /** Another writer straight on the table: the store of the `interleaved` mode. */
  direct: GenericTaskStore;
  /** Its queue. */
  directQueue: GenericTaskMessageQueue;
}

/** Runs `call` with its write faulted in the next mode; `another` is the interleaved writer. */
async function faulted(
  context: FaultContext,
  label: string,
  call: () => Promise<unknown>,
  another: () => Promise<void>,
): Promise<{ mode: FaultMode; settlement: Settlement }> {
  const { proxy, ledger } = context;
  const mode = context.nextMode();
  const seen = proxy.faulted().length;
  proxy.faultNextWrite(faultOf(mode, ledger.maxAttempts, another));
  const settlement = await settle(call);
  if (proxy.disarm() > 0) ledger.problem(`${label}: made no write to fault`);
  ledger.judge(label, mode, settlement, proxy.faulted()[seen]);
  return { mode, settlement };
}

/** One store write to fault, and how to see its change in the task afterwards. */
export interface StoreWrite {
  label: string;
  call: () => Promise<unknown>;
  visible: (task: TaskSnapshot) => boolean;
}

/**
 * Faults `write` on `owner`'s task and checks the task's item: one version more per write (ours,
 * and the other writer's in the `interleaved` mode), with our change visible. Fewer is a lost
 * write, more a duplicated one.
 */
export async function faultStoreWrite(
  context: FaultContext,
  owner: string,
  taskId: string,
  write: StoreWrite,
): Promise<void> {
  const key = recordKey(owner, taskId);
  const before = (await context.inspect.get(key)).version;
  let others = 0;
  await faulted(context, write.label, write.call, async () => {
    await context.direct.setVariables(owner, taskId, { [`other${before}`]: before });
    others += 1;
  });
  const after = (await context.inspect.get(key)).version;
  const applied = after - before - others;
  const seen = `${write.label}: version ${before} → ${after} with ${others} other writes`;
  if (applied < 1 || !write.visible(await context.direct.get(owner, taskId))) {
    context.ledger.lost(1, seen);
  } else {
    context.ledger.duplicated(applied - 1, seen);
  }
}

/** A queued message as the MCP SDK queues it, carrying `id`. */
export function queuedMessage(id: string): JsonObject {
  return {
    type: 'notification',
    timestamp: 1_700_000_000_000,
    message: {
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: id },
    },
  };
}

function idOf(message: unknown): string {
  return String((message as { message: { params: { data: unknown } } }).message.params.data);
}

/** A task's queue as the code under test reaches it (the core queue, or the MCP adapter). */
export interface QueueCalls {
  enqueue(message: JsonObject): Promise<unknown>;
  dequeue(): Promise<unknown>;
  dequeueAll(): Promise<unknown[]>;
}

/**
 * The faulted queue calls of one task, against a model of the queue. Every message ends with one
 * fate: delivered by a dequeue that answered, taken by a dequeue whose outcome was reported
 * unknown, or still queued at the end. None is lost, none has two.
 */
export class QueueChain {
  private model: string[] = [];
  private readonly fates = new Map<string, number>();
  private others = 0;

  constructor(
    private readonly context: FaultContext,
    private readonly owner: string,
    private readonly taskId: string,
    private readonly calls: QueueCalls,
  ) {}

  /** Enqueues the message `id` with its write faulted. */
  async enqueue(id: string): Promise<void> {
    this.fates.set(id, 0);
    await this.run(
      `enqueue ${id}`,
      () => this.calls.enqueue(queuedMessage(id)),
      (model) => [...model, id],
    );
  }

  /** Dequeues one message with its write faulted. */
  async dequeue(): Promise<void> {
    await this.run(
      'dequeue',
      async () => [await this.calls.dequeue()].filter(Boolean),
      (model) => model.slice(1),
    );
  }

  /** Dequeues every message with its write faulted. */
  async dequeueAll(): Promise<void> {
    await this.run(
      'dequeueAll',
      () => this.calls.dequeueAll(),
      () => [],
    );
  }

  /** Counts what is still queued, then every message's fates: none may have 0 or 2. */
  async finish(): Promise<void> {
    for (const id of await this.stored()) this.addFate(id);
    for (const [id, fates] of this.fates) {
      if (fates === 0) this.context.ledger.lost(1, `message ${id} was neither delivered nor kept`);
      if (fates > 1) this.context.ledger.duplicated(fates - 1, `message ${id} had ${fates} fates`);
    }
  }

  private async run(
    label: string,
    call: () => Promise<unknown>,
    apply: (model: string[]) => string[],
  ): Promise<void> {
    const before = this.model;
    const added: string[] = [];
    const { settlement } = await faulted(this.context, label, call, async () => {
      const id = `other-${this.taskId.slice(-6)}-${(this.others += 1)}`;
      this.fates.set(id, 0);
      await this.context.directQueue.enqueue(this.owner, this.taskId, queuedMessage(id));
      added.push(id);
    });
    const expected = [...apply(before), ...added];
    const stored = await this.stored();
    const taken = before.filter((id) => !stored.includes(id));
    if (settlement.ok && Array.isArray(settlement.value)) {
      for (const message of settlement.value) this.addFate(idOf(message));
      const delivered = settlement.value.map(idOf);
      if (delivered.join() !== taken.join()) {
        this.context.ledger.problem(`${label} delivered [${delivered}] but took [${taken}]`);
      }
    } else if (!settlement.ok) {
      const unknownTakes = Math.max(0, before.length - apply(before).length);
      for (const id of taken.slice(0, unknownTakes)) this.addFate(id);
    }
    if (stored.join() !== expected.join()) {
      this.context.ledger.problem(`${label}: queue holds [${stored}], expected [${expected}]`);
    }
    this.model = stored;
  }

  private addFate(id: string): void {
    this.fates.set(id, (this.fates.get(id) ?? 0) + 1);
  }

  private async stored(): Promise<string[]> {
    const key = recordKey(this.owner, this.taskId, 'queue');
    const { data } = await this.context.inspect.get(key);
    return (JSON.parse(data) as { messages: unknown[] }).messages.map(idOf);
  }
}
