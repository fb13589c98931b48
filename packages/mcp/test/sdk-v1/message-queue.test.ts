import { describe, expect, it } from '@jest/globals';
import { mcpErrorOf } from './fixture.js';
import type { QueuedMessage } from '@modelcontextprotocol/sdk/experimental/tasks';
import { MessageQueueFullError } from '@tasks/core';
import { McpTaskMessageQueue, McpTaskStore } from '../../src/sdk-v1/index.js';
import { makeStore } from '../helpers.js';

const REQUEST = { method: 'tools/call', params: { name: 'work' } };

function notification(n: number): QueuedMessage {
  return {
    type: 'notification',
    timestamp: 1_700_000_000_000 + n,
    message: {
      jsonrpc: '2.0',
      method: 'notifications/message',
      params: { level: 'info', data: n },
    },
  };
}

function setup(ownerOfSession?: (sessionId: string) => string) {
  const { store } = makeStore();
  const owners = ownerOfSession ? { ownerOfSession } : {};
  return {
    taskStore: new McpTaskStore({ store, ...owners }),
    queue: new McpTaskMessageQueue({ store, ...owners }),
  };
}

describe('McpTaskMessageQueue', () => {
  it('queues SDK messages first in, first out for the session that owns the task', async () => {
    const { taskStore, queue } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 'session-a');
    await queue.enqueue(taskId, notification(1), 'session-a');
    await queue.enqueue(taskId, notification(2), 'session-a', 10);
    await queue.enqueue(taskId, notification(3), 'session-a');
    expect(await queue.dequeue(taskId, 'session-a')).toEqual(notification(1));
    expect(await queue.dequeueAll(taskId, 'session-a')).toEqual([notification(2), notification(3)]);
    expect(await queue.dequeue(taskId, 'session-a')).toBeUndefined();
  });

  it('hides a queue from other sessions and refuses their messages with -32602', async () => {
    const { taskStore, queue } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 'session-a');
    await queue.enqueue(taskId, notification(1), 'session-a');
    expect(await queue.dequeue(taskId, 'session-b')).toBeUndefined();
    expect(await queue.dequeueAll(taskId)).toEqual([]);
    const error = await mcpErrorOf(queue.enqueue(taskId, notification(2), 'session-b'));
    expect(error.code).toBe(-32602);
    expect(await queue.dequeueAll(taskId, 'session-a')).toEqual([notification(1)]);
  });

  it('binds queues with the same owner mapping as the task store', async () => {
    const { taskStore, queue } = setup(() => 'alice');
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 'phone');
    await queue.enqueue(taskId, notification(1), 'laptop');
    expect(await queue.dequeue(taskId, 'tablet')).toEqual(notification(1));
  });

  it('reports a full queue as an McpError caused by MessageQueueFullError', async () => {
    const { taskStore, queue } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's');
    await queue.enqueue(taskId, notification(1), 's', 1);
    const error = await mcpErrorOf(queue.enqueue(taskId, notification(2), 's', 1));
    expect(error.code).toBe(-32603);
    expect(error.cause).toBeInstanceOf(MessageQueueFullError);
    expect(await queue.dequeueAll(taskId, 's')).toEqual([notification(1)]);
  });

  it('stores a message as a transport would send it', async () => {
    const { taskStore, queue } = setup();
    const { taskId } = await taskStore.createTask({}, 1, REQUEST, 's');
    const message = {
      ...notification(1),
      message: { jsonrpc: '2.0', method: 'notifications/progress', params: undefined },
    } as QueuedMessage;
    await queue.enqueue(taskId, message, 's');
    expect(await queue.dequeue(taskId, 's')).toEqual({
      type: 'notification',
      timestamp: message.timestamp,
      message: { jsonrpc: '2.0', method: 'notifications/progress' },
    });
  });
});
