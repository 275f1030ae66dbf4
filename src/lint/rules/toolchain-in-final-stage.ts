/** Compilers and headers left in the image that ships. */
import { DEV_PACKAGE, TOOLCHAIN_PACKAGES } from '../data.js';
import { removedPackages, systemInstall } from './commands.js';
import { type RawFinding, type Rule, meta } from './types.js';
import { locOfWord } from './loc.js';

export const toolchainInFinalStage: Rule = {
  meta: meta('toolchain-in-final-stage'),
  check({ facts }) {
    const out: RawFinding[] = [];
    for (const run of facts.runs) {
      if (!facts.chain.includes(run.stage)) continue;
      const removed = removedPackages(run.cmds);
      for (const cmd of run.cmds) {
        const inst = systemInstall(cmd);
        if (!inst) continue;
        const virtual =
          inst.manager === 'apk'
            ? (cmd.argv[cmd.argv.indexOf('--virtual') + 1] ?? cmd.argv[cmd.argv.indexOf('-t') + 1])
            : undefined;
        if (
          virtual &&
          cmd.argv.some((a) => a === '--virtual' || a === '-t') &&
          removed.has(virtual.toLowerCase())
        )
          continue;
        const tools = inst.packages.filter(
          (p) => (TOOLCHAIN_PACKAGES.has(p.name) || DEV_PACKAGE.test(p.name)) && !removed.has(p.name),
        );
        if (!tools.length) continue;
        const names = tools.map((t) => t.name);
        out.push({
          rule: 'toolchain-in-final-stage',
          loc: locOfWord(cmd, tools[0]!.index),
          message: `${names.map((n) => `\`${n}\``).join(', ')} ${names.length > 1 ? 'are' : 'is'} installed in the final image: compilers and headers are only needed to build`,
          fix: 'build in a `builder` stage and `COPY --from=builder` the result (wheels or a venv) into a slim final stage; keep only runtime libraries there',
        });
      }
    }
    return out;
  },
};
