/** A package that depends on torch, installed with no torch in the image and no CPU index: pip pulls CUDA torch. */
import { TORCH_DEPENDENTS, TORCH_EXTRAS, TORCH_PACKAGES } from '../data.js';
import { torchVariant } from '../python-files.js';
import { type RawFinding, type Rule, meta } from './types.js';

export const torchViaDependency: Rule = {
  meta: meta('torch-via-dependency'),
  check({ facts, gpu }) {
    if (gpu) return [];
    const out: RawFinding[] = [];
    for (const inst of facts.installs) {
      if (inst.noDeps || inst.noIndex || inst.cpuIndex || inst.torchBefore || inst.gpuIndexes.length)
        continue;
      const pip = inst.items.filter((it) => !it.conda);
      const torchThere = pip.some(
        (it) => TORCH_PACKAGES.has(it.name) && (!it.constraint || torchVariant(it) === 'cpu'),
      );
      if (torchThere) continue;
      for (const it of pip) {
        if (it.constraint) continue;
        const viaExtra = TORCH_EXTRAS[it.name]?.some((e) => it.extras.includes(e));
        if (!TORCH_DEPENDENTS.has(it.name) && !viaExtra) continue;
        out.push({
          rule: 'torch-via-dependency',
          loc: it.loc,
          message: `\`${it.name}${viaExtra ? `[${it.extras.join(',')}]` : ''}\` depends on torch, and with no torch installed before it and no CPU index, pip pulls the CUDA build (~2-8 GB)`,
          fix: 'install CPU torch first (`pip install torch --index-url https://download.pytorch.org/whl/cpu`) or add `--extra-index-url https://download.pytorch.org/whl/cpu` to this install',
        });
      }
    }
    return out;
  },
};
