import { describe, expect, test } from 'vitest';
import { memoryOf, parseComposeBytes } from '../../../src/deploy/memory.js';
import { specOf } from './spec.js';

const MiB = 1024 ** 2;

describe('parseComposeBytes', () => {
  test.each([
    ['256M', 256 * MiB],
    ['256m', 256 * MiB],
    ['512mb', 512 * MiB],
    ['64MiB', 64 * MiB],
    ['1.5g', 1.5 * 1024 * MiB],
    ['2G', 2 * 1024 * MiB],
    ['128 k', 128 * 1024],
    ['1024', 1024],
    [1024, 1024],
    ['100b', 100],
  ])('%j is %i bytes', (value, bytes) => {
    expect(parseComposeBytes(value)).toBe(bytes);
  });

  test.each([['lots'], ['-5M'], ['5X'], [1.5], [-1], [null], [{}]])('%j is not a size', (value) => {
    expect(parseComposeBytes(value)).toBeUndefined();
  });
});

describe('memoryOf', () => {
  test('deploy.resources limits and reservations, with the line of the limit', () => {
    const { memory, findings } = memoryOf(
      specOf(`services:
  api:
    image: api
    deploy:
      resources:
        limits:
          memory: 350M
        reservations:
          memory: 256M
`),
    );
    expect(memory).toEqual({ limit: 350 * MiB, reservation: 256 * MiB, replicas: 1, line: 7 });
    expect(findings).toEqual([]);
  });

  test('mem_limit and mem_reservation when deploy has none; replicas count', () => {
    const { memory } = memoryOf(
      specOf('services:\n  w:\n    image: w\n    mem_limit: 240m\n    mem_reservation: 128m\n    scale: 2\n'),
    );
    expect(memory).toEqual({ limit: 240 * MiB, reservation: 128 * MiB, replicas: 2, line: 4 });
  });

  test('equal values in both spellings are fine; distinct ones are compose refusing the project', () => {
    const same = memoryOf(
      specOf(
        'services:\n  a:\n    image: a\n    mem_limit: 256m\n    deploy: { resources: { limits: { memory: 256M } } }\n',
      ),
    );
    expect(same.findings).toEqual([]);
    const distinct = memoryOf(
      specOf(`services:
  a:
    image: a
    mem_limit: 1g
    mem_reservation: 64m
    deploy:
      resources:
        limits: { memory: 256M }
        reservations: { memory: 128M }
`),
    );
    expect(distinct.memory.limit).toBe(256 * MiB);
    expect(distinct.memory.reservation).toBe(128 * MiB);
    expect(distinct.findings.map((f) => [f.rule, f.severity, f.line, f.message])).toEqual([
      [
        'memory-conflict',
        'error',
        8,
        'mem_limit and deploy.resources.limits.memory differ: compose refuses distinct values for them',
      ],
      [
        'memory-conflict',
        'warning',
        9,
        'mem_reservation and deploy.resources.reservations.memory differ: compose applies deploy.resources.reservations.memory',
      ],
    ]);
  });

  test('a value that is not a size is an error on its line', () => {
    const { memory, findings } = memoryOf(specOf('services:\n  a:\n    image: a\n    mem_limit: lots\n'));
    expect(memory.limit).toBeUndefined();
    expect(findings).toMatchObject([
      { rule: 'invalid-memory', severity: 'error', file: 'compose.yaml', line: 4, source: 'compose' },
    ]);
  });
});
