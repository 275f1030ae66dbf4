import { describe, expect, it } from 'vitest';
import { ContentTally } from '../../../../src/measure/contents.js';
import { MB, contentSpec } from './helpers.js';

describe('package-cache-in-image', () => {
  contentSpec(
    'package-cache-in-image',
    [
      ['root/.cache/pip/http/a/b', 10, '/root/.cache/pip'],
      ['home/app/.cache/uv/wheels/x.whl', 10, '/home/app/.cache/uv'],
      ['root/.cache/huggingface/hub/models--x/blobs/abc', 500 * MB, '/root/.cache/huggingface'],
      ['var/lib/apt/lists/partial/x', 10, '/var/lib/apt/lists'],
      ['var/cache/apt/archives/x.deb', 10, '/var/cache/apt'],
      ['var/cache/apk/APKINDEX.tar.gz', 10, '/var/cache/apk'],
      ['home/node/.npm/_cacache/content-v2/x', 10, '/home/node/.npm/_cacache'],
      ['usr/local/share/.cache/yarn/v6/x', 10, '/usr/local/share/.cache/yarn'],
      ['root/.cargo/registry/cache/x.crate', 10, '/root/.cargo/registry'],
      ['root/go/pkg/mod/cache/download/x.zip', 10, '/root/go/pkg/mod/cache'],
    ],
    [
      ['var/lib/apt/lists/lock', 0, "apt's lock file"],
      ['home/app/sub/.cache/pip/x', 10, 'not a home folder'],
      ['root/.cache/other/x', 10, 'not a package manager'],
      ['root/.npm/_logs/x.log', 10, "npm's logs"],
      ['root/go/pkg/mod/github.com/x/y.go', 10, 'go modules, not their download cache'],
      ['root/.cache/pip/model.safetensors', 50 * MB, 'weights are weights, wherever they are'],
    ],
  );

  it('a cache under 1MB is no finding', () => {
    const tally = new ContentTally();
    tally.addFile('var/lib/apt/lists/small', MB - 1);
    tally.addFile('root/.cache/pip/big', MB);
    expect(tally.result().map((group) => group.group)).toEqual(['/root/.cache/pip']);
  });
});
