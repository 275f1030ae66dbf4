/** CUDA builds of PyTorch (and other CUDA wheels or base images) in a service that has no GPU. */
import { CUDA_BASE_IMAGES, TORCH_PACKAGES } from '../data.js';
import { torchVariant } from '../python-files.js';
import type { Facts, PyInstall, PyItem } from '../analysis/facts.js';
import { type RawFinding, type Rule, meta } from './types.js';

const FIX_PIP =
  'install the CPU build: add `--index-url https://download.pytorch.org/whl/cpu` (or pin `torch==X.Y.Z+cpu`), or declare the service `gpu: true`';

export const cudaTorch: Rule = {
  meta: meta('cuda-torch'),
  check({ facts, gpu }) {
    if (gpu) return [];
    const out = baseImageFindings(facts);
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
        const f = itemFinding(inst, it);
        if (f) out.push(f);
      }
    }
    return out;
  },
};

/** CUDA base images of the stages that are built. */
function baseImageFindings(facts: Facts): RawFinding[] {
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
  return out;
}

/** A CUDA package, or a torch that resolves to its CUDA build. */
function itemFinding(inst: PyInstall, it: PyItem): RawFinding | undefined {
  const at = (message: string, fix: string): RawFinding => ({
    rule: 'cuda-torch',
    loc: it.loc,
    message,
    fix,
  });
  if (
    /^nvidia-[a-z0-9-]+-cu\d+$/.test(it.name) ||
    /^(?:pytorch-cuda|cudatoolkit|cuda-toolkit|cuda-runtime)$/.test(it.name)
  )
    return at(`\`${it.name}\` is a CUDA package`, 'drop it: a CPU service does not need CUDA libraries');
  if (it.name === 'tensorflow' && it.extras.includes('and-cuda'))
    return at(
      '`tensorflow[and-cuda]` installs the CUDA libraries (~3 GB)',
      'install `tensorflow-cpu` (or plain `tensorflow`)',
    );
  if (it.name === 'tensorflow-gpu')
    return at('`tensorflow-gpu` installs the CUDA build', 'install `tensorflow-cpu`');
  const isTorch = TORCH_PACKAGES.has(it.name) || (it.conda && it.name === 'pytorch');
  if (!isTorch) return undefined;
  const v = torchVariant(it);
  if (v === 'cuda' || v === 'rocm')
    return at(
      `\`${it.name}${it.spec}\` pins a ${v === 'rocm' ? 'ROCm' : 'CUDA'} build of PyTorch`,
      'pin the `+cpu` build from https://download.pytorch.org/whl/cpu',
    );
  if (v === 'cpu' || it.constraint || inst.noIndex || inst.cpuIndex || inst.gpuIndexes.length)
    return undefined;
  // Torch already in the image (a PyTorch base, an earlier install) and no version asked: pip keeps it.
  if (inst.torchBefore && !it.spec && !it.url && !inst.cmd.argv.some((a) => a === '-U' || a === '--upgrade'))
    return undefined;
  if (it.conda) {
    if (inst.condaCpuOnly || !inst.condaGpuChannel) return undefined;
    return at(
      `conda \`${it.name}\` from the pytorch channel without \`cpuonly\` installs the CUDA build`,
      'add `cpuonly` to the install (and no `pytorch-cuda`)',
    );
  }
  return at(
    `\`${it.name}\` from PyPI is the CUDA build on Linux (~2-8 GB with its nvidia-* wheels)`,
    FIX_PIP,
  );
}

export function splitImage(image: string): [string, string | undefined] {
  const at = image.indexOf('@');
  const noDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return [noDigest.slice(0, colon), noDigest.slice(colon + 1)];
  return [noDigest, undefined];
}
