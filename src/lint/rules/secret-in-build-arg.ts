/** Secrets passed as ARG or ENV: they stay in the image's history or config. */
import { isSecretName } from '../../util/secrets.js';
import { parseAssignments } from '../dockerfile.js';
import { type RawFinding, type Rule, meta } from './types.js';

/** One list of secret names, shared with the redaction of the report (util/secrets.ts). */
export { isSecretName };

const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

export const secretInBuildArg: Rule = {
  meta: meta('secret-in-build-arg'),
  check({ facts }) {
    const out: RawFinding[] = [];
    const stages = new Set(facts.reachable);
    for (const st of facts.df.stages) {
      if (!stages.has(st.index)) continue;
      for (const ins of st.instrs) {
        if (ins.keyword !== 'ARG' && ins.keyword !== 'ENV') continue;
        for (const [name, value] of parseAssignments(ins.body, ins.keyword === 'ARG')) {
          const credUrl =
            value !== undefined && CREDENTIAL_URL.test(value) && !/\$\{?\w/.test(value.split('@')[0]!);
          if (!credUrl && !isSecretName(name)) continue;
          if (!credUrl && ins.keyword === 'ENV' && !value) continue;
          out.push({
            rule: 'secret-in-build-arg',
            loc: { file: facts.file, line: ins.line, anchor: ins.line },
            message: credUrl
              ? `\`${ins.keyword} ${name}\` holds a URL with a password: it stays in the image ${ins.keyword === 'ENV' ? 'config' : 'history'}`
              : `\`${ins.keyword} ${name}\` looks like a secret: ${ins.keyword === 'ENV' ? 'ENV values ship in the image config' : 'build-arg values are recorded in the image history of every RUN that uses them'}`,
            fix:
              'use a build secret: `RUN --mount=type=secret,id=' +
              name.toLowerCase() +
              ' …` (compose `secrets:`), or pass it at run time',
          });
        }
      }
    }
    return out;
  },
};
