/** The body of the one file in a `docker cp` tar (src/measure/store-reader.ts). */
import { describe, expect, it } from 'vitest';
import { tarOf } from '../../support/tar.js';
import { firstFile } from '../../../src/measure/store-reader.js';

describe('the one file of a docker cp tar', () => {
  it('is its body', async () => {
    const parts: Buffer[] = [];
    for await (const chunk of firstFile(
      tarOf([{ header: { name: 'abc', type: 'file' }, body: '{"a":1}' }]),
      'abc',
    ))
      parts.push(chunk);
    expect(Buffer.concat(parts).toString()).toBe('{"a":1}');
  });

  it('is an error when the tar holds no file', async () => {
    const read = async (): Promise<void> => {
      for await (const _chunk of firstFile(tarOf([{ header: { name: 'd', type: 'directory' } }]), 'd'));
    };
    await expect(read()).rejects.toThrow('d: not a file');
  });
});
