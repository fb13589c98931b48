import { GenericTaskStore, InMemoryBackend } from '@tasks/core';
import { describe, expect, it } from 'vitest';
import { McpTasksServer } from '../../src/index.js';

describe('running a task on a worker', () => {
  it('ends quietly when the handler’s own write is the first to meet a cancel made elsewhere', async () => {
    const backend = new InMemoryBackend();
    const errors: unknown[] = [];
    const tasks = new McpTasksServer({
      store: new GenericTaskStore({ backend }),
      watchIntervalMs: 60_000,
      onError: (error) => errors.push(error),
    });
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    let reason: unknown;
    tasks.tool(
      'slow',
      {},
      async (_args, ctx) => {
        started();
        await gate;
        try {
          await ctx.reportStatus('step 2');
        } finally {
          reason = ctx.signal.reason;
        }
        return { content: [] };
      },
      'required',
    );
    const elsewhere = new GenericTaskStore({ backend });
    const owner = 'auth:alice';
    const { taskId } = await elsewhere.create(owner, {
      requestMethod: 'tools/call',
      request: { name: 'slow', arguments: {} },
    });
    const run = tasks.execute({ owner, taskId });
    await running;
    await elsewhere.cancel(owner, taskId);
    release();
    await run;
    expect(reason).toMatchObject({ name: 'TaskRunAbortedError', reason: 'cancelled' });
    expect(errors).toEqual([]);
    expect((await elsewhere.get(owner, taskId)).status).toBe('cancelled');
  });
});
