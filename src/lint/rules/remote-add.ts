/** `ADD <url>`: the download sits in its own layer and is re-fetched unpredictably. */
import { isWeightUrl } from '../analysis/downloads.js';
import { type RawFinding, type Rule, meta } from './types.js';

export const remoteAdd: Rule = {
  meta: meta('remote-add'),
  check({ facts }) {
    const out: RawFinding[] = [];
    for (const c of facts.copies) {
      if (c.instr.keyword !== 'ADD') continue;
      const url = c.sources.find((s) => /^(?:https?|git):\/\/|^git@/.test(s));
      if (!url || isWeightUrl(url)) continue;
      out.push({
        rule: 'remote-add',
        loc: { file: facts.file, line: c.instr.line, anchor: c.instr.line },
        message: `\`ADD ${url}\` keeps the downloaded file in its own layer, even if a later RUN extracts or deletes it`,
        fix: 'download, unpack and clean up in one `RUN curl -fsSL … | tar -xz`, or `ADD --checksum=…` for a file you keep as is',
      });
    }
    return out;
  },
};
