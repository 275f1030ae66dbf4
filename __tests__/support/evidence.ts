/** What the image says of a model download in the tests: 420 MB of weights, 3 files, in layer 5. */
import type { ImageEvidence } from '../../src/report/model.js';

export const WEIGHTS_EVIDENCE: ImageEvidence = {
  rule: 'model-weights-in-image',
  bytes: 420_000_000,
  files: 3,
  path: '/root/.cache/huggingface',
  layer: 5,
};
