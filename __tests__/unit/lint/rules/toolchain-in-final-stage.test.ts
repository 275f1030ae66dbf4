import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('toolchain-in-final-stage', () => {
  test.each<Row>(
    spec([
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
});
