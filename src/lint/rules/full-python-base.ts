/** The full `python:3.x` image (~1 GB with compilers) for the final stage, where `-slim` would do. */
import { FULL_PYTHON_IMAGE } from '../data.js';
import { splitImage } from './cuda-torch.js';
import { type Rule, meta } from './types.js';

export const fullPythonBase: Rule = {
  meta: meta('full-python-base'),
  check({ facts }) {
    const root = facts.chain[0];
    if (root === undefined) return [];
    const st = facts.df.stages[root]!;
    if (st.parent !== undefined) return [];
    const [image, tag] = splitImage(st.image);
    if (!FULL_PYTHON_IMAGE.test(image.toLowerCase())) return [];
    const t = (tag ?? 'latest').toLowerCase();
    if (t.includes('$') || /slim|alpine|windows|nanoserver/.test(t)) return [];
    const version = /^(\d+(?:\.\d+)?)/.exec(t)?.[1] ?? '3.12';
    return [
      {
        rule: 'full-python-base',
        loc: { file: facts.file, line: st.from.line, anchor: st.from.line },
        message: `\`${st.image}\` is the full Debian image (~1 GB with compilers and headers); the final stage rarely needs it`,
        fix: `use \`python:${version}-slim\` (not Alpine: manylinux wheels such as FAISS and torch do not install on musl); build in a full-image stage if you compile`,
      },
    ];
  },
};
