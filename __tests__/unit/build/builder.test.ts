import { describe, expect, test } from 'vitest';
import { chooseBuilder } from '../../../src/build/builder.js';
import { UserError } from '../../../src/util/errors.js';

describe('chooseBuilder', () => {
  test.each([
    [1, { client: '28.2.2', server: '27.5.1', buildx: 'v0.19.3' }, 'buildx'],
    [2, { client: '20.10.24', server: '20.10.24' }, 'docker'],
    [3, { client: '20.10.24', server: '20.10.24', buildx: 'v0.8.2' }, 'buildx'],
  ])('%i: %j -> %s', (_n, versions, kind) => {
    expect(chooseBuilder(versions, 'docker').kind).toBe(kind);
  });

  test.each([
    [
      1,
      { client: '28.2.2', serverError: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' },
      /no Docker engine answers: Cannot connect/,
    ],
    [2, {}, /no Docker engine answers\. Start one/],
    [
      3,
      { client: '28.2.2', server: '20.10.24' },
      /`\/usr\/local\/bin\/docker` \(28\.2\.2\) has no buildx plugin/,
    ],
    [4, { server: '20.10.24' }, /unknown version/],
  ])('%i: no builder is one clear UserError', (_n, versions, message) => {
    let thrown: unknown;
    try {
      chooseBuilder(versions, '/usr/local/bin/docker');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect((thrown as Error).message).toMatch(message);
  });
});
