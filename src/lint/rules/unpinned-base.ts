/** `FROM image` or `FROM image:latest`: the build changes when the tag moves. */
import { splitImage } from './cuda-torch.js';
import { type RawFinding, type Rule, meta } from './types.js';

export const unpinnedBase: Rule = {
  meta: meta('unpinned-base'),
  check({ facts }) {
    const out: RawFinding[] = [];
    for (const idx of facts.reachable) {
      const st = facts.df.stages[idx]!;
      if (
        st.parent !== undefined ||
        !st.image ||
        st.image.includes('$') ||
        st.image.toLowerCase() === 'scratch' ||
        st.image.includes('@')
      )
        continue;
      const [, tag] = splitImage(st.image);
      if (tag && tag.toLowerCase() !== 'latest') continue;
      out.push({
        rule: 'unpinned-base',
        loc: { file: facts.file, line: st.from.line, anchor: st.from.line },
        message: `\`${st.image}\` ${tag ? 'uses `latest`' : 'has no tag (means `latest`)'}: the image changes under you and builds stop being reproducible`,
        fix: 'pin a version tag (e.g. `python:3.11-slim`), or a digest',
      });
    }
    return out;
  },
};
