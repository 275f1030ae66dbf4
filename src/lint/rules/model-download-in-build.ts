/** Model weights downloaded by a RUN: they land in a layer and fill the build disk. */
import { isWeightUrl } from '../analysis/downloads.js';
import { type RawFinding, type Rule, meta } from './types.js';

export const modelDownloadInBuild: Rule = {
  meta: meta('model-download-in-build'),
  check({ facts }) {
    const out: RawFinding[] = facts.downloads.map((d) => ({
      rule: 'model-download-in-build',
      loc: d.loc,
      message: `${d.what}: the weights are baked into a layer and fill the build disk`,
      fix: 'download at container start (entrypoint script) into a mounted volume, or COPY weights you already have',
    }));
    for (const c of facts.copies) {
      if (c.instr.keyword !== 'ADD' || facts.reachable.indexOf(c.stage) < 0) continue;
      const url = c.sources.find(isWeightUrl);
      if (url) {
        out.push({
          rule: 'model-download-in-build',
          loc: { file: facts.file, line: c.instr.line, anchor: c.instr.line },
          message: `\`ADD ${url.length > 80 ? `${url.slice(0, 77)}…` : url}\` downloads model weights into a layer`,
          fix: 'download the weights at container start into a volume',
        });
      }
    }
    return out;
  },
};
