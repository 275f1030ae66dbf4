import { describe } from 'vitest';
import { MB, contentSpec } from './helpers.js';

describe('model-weights-in-image', () => {
  contentSpec(
    'model-weights-in-image',
    [
      ['app/model.safetensors', 60 * MB, ''],
      ['app/MODEL.SAFETENSORS', 10 * MB, ''],
      ['app/model.gguf', 20 * MB, ''],
      ['app/model.onnx', 50 * MB, ''],
      ['app/model.pth', 50 * MB, ''],
      ['app/pytorch_model.bin', 100 * MB, ''],
      ['root/.cache/huggingface/hub/models--x/blobs/model.safetensors', 500 * MB, ''],
    ],
    [
      ['app/tiny.pt', 1000, 'a fixture or tokenizer'],
      ['app/model.safetensors', 9 * MB, 'under 10MB'],
      ['app/pytorch_model.bin', 99 * MB, 'a .bin under 100MB'],
      ['app/weights.safetensors.txt', 50 * MB, 'not the extension'],
      ['var/cache/apt/archives/big.bin', 200 * MB, 'a downloaded package'],
      ['usr/lib/firmware/nvidia/gsp.bin', 200 * MB, 'firmware'],
      ['lib/firmware/x.onnx', 200 * MB, 'firmware'],
    ],
  );
});
