import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('toolchain-in-final-stage', () => {
  test.each<Row>(
    spec([
      [
        'a versioned compiler (g++-11, clang-17)',
        {
          Dockerfile:
            'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends g++-11 clang-17 && rm -rf /var/lib/apt/lists/*\n',
        },
        ['2 toolchain-in-final-stage'],
      ],
      [
        'a -dev package whose library LD_PRELOAD loads at run time',
        {
          Dockerfile:
            'FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends libjemalloc-dev && rm -rf /var/lib/apt/lists/*\nENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so\n',
        },
        [],
      ],
      [
        'gcc and -dev in final',
        {
          Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends gcc python3-dev && rm -rf /var/lib/apt/lists/*\n`,
        },
        ['2 toolchain-in-final-stage'],
      ],
      [
        'runtime libs only',
        {
          Dockerfile: `${S}RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 libsndfile1 ffmpeg && rm -rf /var/lib/apt/lists/*\n`,
        },
        [],
      ],
      [
        'dnf devel',
        { Dockerfile: 'FROM rockylinux:9\nRUN dnf install -y gcc openssl-devel && dnf clean all\n' },
        ['2 toolchain-in-final-stage'],
      ],
      [
        'apk build-base',
        { Dockerfile: 'FROM alpine:3.20\nRUN apk add --no-cache build-base\n' },
        ['2 toolchain-in-final-stage'],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });

  test('a Node image gets Node advice, not Python wheels', () => {
    const [f] = lintFiles({
      Dockerfile:
        'FROM node:20-slim\nRUN apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*\n',
    });
    expect(f!.fix).toMatch(/node_modules/);
    expect(f!.fix).not.toMatch(/wheels/);
  });
});
