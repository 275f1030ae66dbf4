/** Model weights baked into a layer (safetensors, GGUF, ONNX, PyTorch checkpoints, big `.bin`s). */
import { MIB, type ContentRuleModule } from './types.js';

/** Weights smaller than this are test fixtures or tokenizers, not models. */
const MIN_WEIGHT_FILE = 10 * MIB;
/** `*.bin` is a generic extension: only a big one is taken for weights. */
const MIN_BIN_WEIGHT_FILE = 100 * MIB;
const WEIGHTS = /\.(?:safetensors|gguf|ggml|onnx|pt|pth|ckpt|h5|tflite)$/i;
/** Big binaries that are not weights: downloaded packages, firmware. */
const NOT_WEIGHTS = /^(?:var\/cache\/apt|usr\/lib\/firmware|lib\/firmware)\//;

export const modelWeightsInImage: ContentRuleModule = {
  id: 'model-weights-in-image',
  what: 'model weights',
  noun: 'model weights',
  fix: 'Download the weights at start-up or mount them as a volume instead of baking them into a layer.',
  minBytes: 0,
  confirms: ['model-download-in-build'],
  anywhereInFinalStage: false,
  classify(path, base, size) {
    if (WEIGHTS.test(base) ? size >= MIN_WEIGHT_FILE : base.endsWith('.bin') && size >= MIN_BIN_WEIGHT_FILE) {
      if (!NOT_WEIGHTS.test(path)) return '';
    }
    return undefined;
  },
};
