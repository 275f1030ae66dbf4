import { describe, expect, test } from 'vitest';
import { type Row, S, keys, lintFiles, spec } from '../helpers.js';

describe('remote-add', () => {
  test.each<Row>(
    spec([
      ['ADD a URL', { Dockerfile: `${S}ADD https://example.com/a.tar.gz /tmp/\n` }, ['2 remote-add']],
      ['ADD a local archive', { Dockerfile: `${S}ADD vendor.tar.gz /opt/\n`, 'vendor.tar.gz': 'x' }, []],
      [
        'ADD of weights (model-download-in-build says it)',
        { Dockerfile: `${S}ADD https://example.com/m.onnx /m/\n` },
        ['2 model-download-in-build'],
      ],
    ]),
  )('%s', (_name, files, want) => {
    expect(keys(lintFiles(files))).toEqual(want.sort());
  });
});
