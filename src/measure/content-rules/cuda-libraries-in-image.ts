/** CUDA libraries: the CUDA toolkit, NVIDIA's Python wheels, torch's CUDA kernels. */
import { MIB, type ContentRuleModule } from './types.js';

const CUDA_LIBRARY =
  /^lib(?:cudnn|cublas|cublasLt|cudart|cufft|cufftw|curand|cusolver|cusolverMg|cusparse|cusparseLt|nccl|nvrtc|nvJitLink|cupti|nvToolsExt|nvinfer|cufile|npp\w*|torch_cuda|c10_cuda)[\w.-]*\.so(?:\.[\d.]+)?$/;
const NVIDIA_WHEELS = /(?:^|\/)(?:site|dist)-packages\/nvidia\//;

export const cudaLibrariesInImage: ContentRuleModule = {
  id: 'cuda-libraries-in-image',
  what: 'CUDA libraries',
  noun: 'CUDA libraries',
  fix: 'Install the CPU-only build (e.g. torch from the CPU index) unless the service runs on a GPU.',
  minBytes: 0,
  confirms: ['cuda-torch', 'torch-via-dependency'],
  anywhereInFinalStage: true,
  classify(path, base, size) {
    if (CUDA_LIBRARY.test(base) || NVIDIA_WHEELS.test(path) || path.startsWith('usr/local/cuda')) {
      // Under /usr/local/cuda, only libraries and big files: small headers and scripts are not the weight.
      if (base.includes('.so') || NVIDIA_WHEELS.test(path) || size >= MIB) return '';
    }
    return undefined;
  },
};
