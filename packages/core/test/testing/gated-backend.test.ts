import { describe, expect, it } from '@jest/globals';
import { InMemoryBackend } from '../../src/backend/memory-backend.js';
import { NotFoundError } from '../../src/backend/errors.js';
import { GatedBackend } from '../../src/testing/index.js';

/** Whether `promise` settled once everything already able to run has run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return settled;
}

describe('GatedBackend', () => {
  it('holds a call before it reaches the inner backend until released', async () => {
    const inner = new InMemoryBackend();
    const gated = new GatedBackend(inner);
    const gate = gated.hold((call) => call.method === 'put');
    const put = gated.put('o:a', '{}');
    expect(await gate.reached).toEqual({ method: 'put', key: 'o:a' });
    await expect(inner.get('o:a')).rejects.toBeInstanceOf(NotFoundError);
    expect(await hasSettled(put)).toBe(false);
    gate.release();
    expect(await put).toBe(1);
  });

  it('holds the answer of a call that already took effect, failures included', async () => {
    const inner = new InMemoryBackend();
    const gated = new GatedBackend(inner);
    const written = gated.hold((call) => call.method === 'putIfVersion', 'after');
    const write = gated.putIfVersion('o:a', '{"n":1}', 0);
    await written.reached;
    expect((await inner.get('o:a')).version).toBe(1);
    expect(await hasSettled(write)).toBe(false);
    written.release();
    expect(await write).toBe(1);
    const missing = gated.hold((call) => call.method === 'get', 'after');
    const read = gated.get('o:b');
    await missing.reached;
    missing.release();
    await expect(read).rejects.toBeInstanceOf(NotFoundError);
  });

  it('holds one call per gate, in the order gates were set, and records every call', async () => {
    const gated = new GatedBackend(new InMemoryBackend());
    const first = gated.hold((call) => call.key === 'o:a');
    first.release();
    const second = gated.hold((call) => call.key === 'o:a');
    await gated.put('o:a', '{}');
    const held = gated.get('o:a');
    await second.reached;
    second.release();
    await held;
    await gated.delete('o:a');
    await gated.listByPrefix('o:');
    await gated.cleanupExpired();
    expect(gated.calls.map((call) => call.method)).toEqual([
      'put',
      'get',
      'delete',
      'listByPrefix',
      'cleanupExpired',
    ]);
  });
});
