import { describe, expect, it } from 'vitest';
import type { WastePair } from '../../../src/measure/waste.js';
import { wasteFindings } from '../../../src/measure/waste-findings.js';
import type { LayerInfo } from '../../../src/report/model.js';

const MB = 1_000_000;

describe('wasteFindings', () => {
  // A base image of two layers, then WORKDIR, COPY, RUN (line 6), RUN (line 9), and a layer no line matched.
  const layers: Pick<LayerInfo, 'createdBy' | 'line'>[] = [
    { createdBy: 'ADD rootfs.tar.xz / # buildkit' },
    { createdBy: 'RUN /bin/sh -c apt-get install -y python3 # buildkit' },
    { createdBy: 'WORKDIR /app', line: 3 },
    { createdBy: 'COPY wheels/ /tmp/wheels/ # buildkit', line: 4 },
    { createdBy: 'RUN /bin/sh -c pip download torch -d /tmp/dl # buildkit', line: 6 },
    { createdBy: 'RUN /bin/sh -c rm -rf /tmp/wheels /tmp/dl /usr/share/doc # buildkit', line: 9 },
    { createdBy: 'RUN /bin/sh -c chown -R app /app # buildkit' },
  ];
  const pair = (
    addedIn: number,
    removedIn: number,
    bytes: number,
    extra: Partial<WastePair> = {},
  ): WastePair => ({
    addedIn,
    removedIn,
    bytes,
    files: 1,
    deletedBytes: bytes,
    largest: `/file-${addedIn}`,
    largestSize: bytes,
    ...extra,
  });

  it.each([
    {
      name: 'a RUN that writes what a later RUN deletes: on the writing line',
      pairs: [pair(4, 5, 31 * MB, { files: 3, largest: '/tmp/dl/torch.whl' })],
      want: [
        [
          6,
          'Line 6 adds 31MB that line 9 deletes (/tmp/dl/torch.whl and 2 more files): remove it in the same RUN',
        ],
      ],
    },
    {
      name: 'a COPY that a later RUN deletes',
      pairs: [pair(3, 5, 12 * MB)],
      want: [[4, 'Line 4 adds 12MB that line 9 deletes (/file-3): do not copy it in']],
    },
    {
      name: 'the base image: one finding for its layers, on the deleting line',
      pairs: [pair(0, 5, 6 * MB), pair(1, 5, 5 * MB)],
      want: [
        [
          9,
          'Line 9 deletes 11MB that the base image adds (/file-0 and 1 more file): the image still ships them',
        ],
      ],
    },
    {
      name: 'a later layer that rewrites the files (chown), on a layer with no line',
      pairs: [pair(3, 6, 40 * MB, { deletedBytes: 0 })],
      want: [
        [
          4,
          'Line 4 adds 40MB that layer 7 of 7 (RUN chown -R app /app) overwrites (/file-3): make the change in the step that adds it',
        ],
      ],
    },
    {
      name: 'under the threshold: no finding, the bytes stay in the wasted figure',
      pairs: [pair(4, 5, 9_999_999)],
      want: [],
    },
    {
      name: 'largest first',
      pairs: [pair(3, 5, 11 * MB), pair(4, 5, 20 * MB)],
      want: [
        [6, 'Line 6 adds 20MB that line 9 deletes (/file-4): remove it in the same RUN'],
        [4, 'Line 4 adds 11MB that line 9 deletes (/file-3): do not copy it in'],
      ],
    },
  ])('$name', ({ pairs, want }) => {
    const findings = wasteFindings(pairs, layers, { file: 'svc/Dockerfile', baseLayers: 2 });
    expect(findings.map((finding) => [finding.line, finding.message])).toEqual(want);
    for (const finding of findings) {
      expect(finding).toMatchObject({
        rule: 'deleted-in-later-layer',
        severity: 'warning',
        file: 'svc/Dockerfile',
        source: 'image',
      });
      expect(finding.fix).toBeTruthy();
    }
  });

  it('without lines (history not matched): layers by number, no line, the image as file', () => {
    const bare = layers.map(({ createdBy }) => ({ createdBy }));
    expect(wasteFindings([pair(4, 5, 31 * MB)], bare, { file: 'redis:7' })).toEqual([
      expect.objectContaining({
        file: 'redis:7',
        message:
          'Layer 5 of 7 (RUN pip download torch -d /tmp/dl) adds 31MB that layer 6 of 7 (RUN rm -rf /tmp/wheels /tmp/dl /usr/sha…) deletes (/file-4): remove it in the same RUN',
      }),
    ]);
    expect(wasteFindings([pair(4, 5, 31 * MB)], bare, { file: 'x' })[0]).not.toHaveProperty('line');
  });

  it('a threshold of its own', () => {
    expect(wasteFindings([pair(4, 5, 2 * MB)], layers, { file: 'D', minBytes: MB })).toHaveLength(1);
  });
});
