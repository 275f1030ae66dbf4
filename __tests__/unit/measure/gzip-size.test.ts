import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createGzipSizer } from '../../../src/measure/gzip-size.js';
import { bytesOf } from './archive-fixture.js';

describe('gzip sizer', () => {
  const text = Buffer.from('the quick brown fox jumps over the lazy dog\n'.repeat(60_000));
  const data = Buffer.concat([text, bytesOf(2_000_000), text]);
  for (const mode of ['blocks', 'stream'] as const) {
    it(`${mode}: within 0.5% of gzip -6`, async () => {
      const sizer = createGzipSizer(mode);
      for (let offset = 0; offset < data.length; offset += 65_536) {
        const wait = sizer.write(data.subarray(offset, offset + 65_536));
        if (wait) await wait;
      }
      const size = await sizer.end();
      const reference = zlib.gzipSync(data, { level: 6 }).length;
      expect(Math.abs(size - reference) / reference).toBeLessThan(0.005);
    });
    it(`${mode}: empty input is an empty gzip`, async () => {
      expect(await createGzipSizer(mode).end()).toBe(zlib.gzipSync(Buffer.alloc(0)).length);
    });
  }
});
