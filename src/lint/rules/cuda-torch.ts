/** CUDA builds of PyTorch (and other CUDA wheels or base images) in a service that has no GPU. */
import { CUDA_BASE_IMAGES, TORCH_PACKAGES } from '../data.js';
import { torchVariant } from '../python-files.js';
import { type RawFinding, type Rule, meta } from './types.js';

const FIX_PIP =
  'install the CPU build: add `--index-url https://download.pytorch.org/whl/cpu` (or pin `torch==X.Y.Z+cpu`), or declare the service `gpu: true`';

export const cudaTorch: Rule = {
  meta: meta('cuda-torch'),
  check({ facts, gpu }) {
    if (gpu) return [];
    const out: RawFinding[] = [];
    for (const idx of facts.reachable) {
      const st = facts.df.stages[idx]!;
      if (st.parent !== undefined) continue;
      const [image, tag = ''] = splitImage(st.image);
      const hit = CUDA_BASE_IMAGES.find(
        (c) => c.image.test(image.toLowerCase()) && (!c.tag || c.tag.test(tag.toLowerCase())),
      );
      if (hit) {
        out.push({
          rule: 'cuda-torch',
          loc: { file: facts.file, line: st.from.line, anchor: st.from.line },
          message: `${hit.what} base image \`${st.image}\` (several GB of CUDA libraries) in a service not declared GPU`,
          fix: 'start from `python:3.x-slim` and install CPU wheels, or declare the service `gpu: true` in .github/image-budget.yml',
        });
      }
    }
    for (const inst of facts.installs) {
      for (const ix of inst.gpuIndexes) {
        out.push({
          rule: 'cuda-torch',
          loc: ix.loc,
          message: `${ix.kind === 'rocm' ? 'ROCm' : 'CUDA'} package index \`${ix.url}\` installs GPU builds of PyTorch (~2-8 GB)`,
          fix: 'use `https://download.pytorch.org/whl/cpu` instead',
        });
      }
      for (const it of inst.items) {
        const v = torchVariant(it);
        if (
          /^nvidia-[a-z0-9-]+-cu\d+$/.test(it.name) ||
          /^(?:pytorch-cuda|cudatoolkit|cuda-toolkit|cuda-runtime)$/.test(it.name)
        ) {
          out.push({
            rule: 'cuda-torch',
            loc: it.loc,
            message: `\`${it.name}\` is a CUDA package`,
            fix: 'drop it: a CPU service does not need CUDA libraries',
          });
          continue;
        }
        if (it.name === 'tensorflow' && it.extras.includes('and-cuda')) {
          out.push({
            rule: 'cuda-torch',
            loc: it.loc,
            message: '`tensorflow[and-cuda]` installs the CUDA libraries (~3 GB)',
            fix: 'install `tensorflow-cpu` (or plain `tensorflow`)',
          });
          continue;
        }
        if (it.name === 'tensorflow-gpu') {
          out.push({
            rule: 'cuda-torch',
            loc: it.loc,
            message: '`tensorflow-gpu` installs the CUDA build',
            fix: 'install `tensorflow-cpu`',
          });
          continue;
        }
        const isTorch = TORCH_PACKAGES.has(it.name) || (it.conda && it.name === 'pytorch');
        if (!isTorch) continue;
        if (v === 'cuda' || v === 'rocm') {
          out.push({
            rule: 'cuda-torch',
            loc: it.loc,
            message: `\`${it.name}${it.spec}\` pins a ${v === 'rocm' ? 'ROCm' : 'CUDA'} build of PyTorch`,
            fix: 'pin the `+cpu` build from https://download.pytorch.org/whl/cpu',
          });
          continue;
        }
        if (v === 'cpu' || it.constraint || inst.noIndex || inst.cpuIndex || inst.gpuIndexes.length) continue;
        // Torch already in the image (a PyTorch base, an earlier install) and no version asked: pip keeps it.
        if (
          inst.torchBefore &&
          !it.spec &&
          !it.url &&
          !inst.cmd.argv.some((a) => a === '-U' || a === '--upgrade')
        )
          continue;
        if (it.conda) {
          if (inst.condaCpuOnly || !inst.condaGpuChannel) continue;
          out.push({
            rule: 'cuda-torch',
            loc: it.loc,
            message: `conda \`${it.name}\` from the pytorch channel without \`cpuonly\` installs the CUDA build`,
            fix: 'add `cpuonly` to the install (and no `pytorch-cuda`)',
          });
          continue;
        }
        out.push({
          rule: 'cuda-torch',
          loc: it.loc,
          message: `\`${it.name}\` from PyPI is the CUDA build on Linux (~2-8 GB with its nvidia-* wheels)`,
          fix: FIX_PIP,
        });
      }
    }
    return out;
  },
};

export function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return [noDigest.slice(0, colon), noDigest.slice(colon + 1)];
  return [noDigest, undefined];
}
