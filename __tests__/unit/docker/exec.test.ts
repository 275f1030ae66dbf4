import { describe, expect, test } from 'vitest';
import { Docker } from '../../../src/docker/exec.js';

// `sh` stands in for the docker binary: the wrapper only spawns `<binary> <args>`.
const shell = new Docker('sh');

describe('Docker', () => {
  test('run keeps output, times the call and never throws on a non-zero exit', async () => {
    const lines: string[] = [];
    const result = await shell.run(['-c', 'echo out; echo err >&2; exit 3'], {
      onLine: (l) => lines.push(l),
    });
    expect(result).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n', aborted: false });
    expect(lines.sort()).toEqual(['err', 'out']);
  });

  test('stream hands back stdout and is killed by its signal', async () => {
    const abort = new AbortController();
    const started = performance.now();
    const streamed = shell.stream(['-c', 'echo first; exec sleep 30'], { signal: abort.signal });
    const first = await new Promise<string>((resolve) =>
      streamed.stdout.once('data', (c: Buffer) => resolve(c.toString())),
    );
    expect(first).toBe('first\n');
    abort.abort();
    await streamed.done;
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('a binary that does not exist is one UserError line', async () => {
    await expect(new Docker('/no/such/docker').run(['version'])).rejects.toThrow(
      'the docker CLI `/no/such/docker` was not found: install Docker or set the docker path',
    );
  });
});
