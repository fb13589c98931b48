import { useBackend } from './backend-hooks.js';
import type { TestRunner } from './runner.js';
import {
  type BackendFactory,
  freshKey,
  type ResolvedConformanceOptions,
} from './conformance-context.js';

/** Characters that break naive encodings: astral emoji, combining marks, line separators, escapes. */
const TRICKY_TEXT =
  'héllo 世界 🎉👩‍👩‍👧 e\u0301 \u2028\u2029 "quoted" \\ back\\slash \t tab \u0000 nul Ω≈ç√';

/** JSON text of exactly `bytes` UTF-8 bytes, mixing multi-byte characters into the filler. */
function payloadOfBytes(bytes: number): string {
  const head = `{"text":${JSON.stringify(TRICKY_TEXT)},"filler":"`;
  const tail = '"}';
  const budget = bytes - Buffer.byteLength(head + tail, 'utf8');
  const unit = 'aé世🎉';
  const unitBytes = Buffer.byteLength(unit, 'utf8');
  let filler = unit.repeat(Math.floor(budget / unitBytes));
  filler += 'x'.repeat(budget - Buffer.byteLength(filler, 'utf8'));
  return `${head}${filler}${tail}`;
}

/** Unicode, odd formatting and near-limit payloads come back byte for byte. */
export function describePayloads(
  runner: TestRunner,
  createBackend: BackendFactory,
  options: ResolvedConformanceOptions,
): void {
  const { describe, it, expect } = runner;
  describe('payloads', () => {
    const backend = useBackend(runner, createBackend, options);
    const timeout = options.timeoutMs;

    it(
      'round-trips unicode and escapes exactly',
      async () => {
        const key = freshKey();
        const data = JSON.stringify({
          text: TRICKY_TEXT,
          nested: { list: [TRICKY_TEXT, 1.5, null, true] },
        });
        await backend().put(key, data);
        expect((await backend().get(key)).data).toBe(data);
        const listed = await backend().listByPrefix(key.slice(0, key.indexOf(':') + 1));
        expect(listed[0]?.[1].data).toBe(data);
      },
      timeout,
    );

    it(
      'keeps the JSON text as written, whitespace and key order included',
      async () => {
        const key = freshKey();
        const data = '{ "z": 1,\n  "a": [ 1 , 2 ],\t"m": {"b":true, "a":false} }';
        await backend().put(key, data);
        expect((await backend().get(key)).data).toBe(data);
      },
      timeout,
    );

    it(
      `round-trips a payload of ${options.maxRecordBytes} UTF-8 bytes`,
      async () => {
        const key = freshKey();
        const data = payloadOfBytes(options.maxRecordBytes);
        expect(Buffer.byteLength(data, 'utf8')).toBe(options.maxRecordBytes);
        expect(await backend().put(key, data)).toBe(1);
        const read = await backend().get(key);
        expect(read.data.length).toBe(data.length);
        expect(read.data === data).toBe(true);
        expect(await backend().putIfVersion(key, data, 1)).toBe(2);
      },
      timeout,
    );
  });
}
