/** Compilers and headers left in the image that ships. */
import type { Facts } from '../analysis/facts.js';
import { DEV_PACKAGE, TOOLCHAIN_FAMILY, TOOLCHAIN_PACKAGES } from '../data.js';
import { removedPackages, systemInstall } from './commands.js';
import { type RawFinding, type Rule, meta } from './types.js';
import { locOfWord } from './loc.js';

export const toolchainInFinalStage: Rule = {
  meta: meta('toolchain-in-final-stage'),
  check({ facts }) {
    const out: RawFinding[] = [];
    const runtime = envText(facts);
    const node = isNodeImage(facts);
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
          (p) =>
            (TOOLCHAIN_PACKAGES.has(p.name) ||
              TOOLCHAIN_FAMILY.test(p.name) ||
              (DEV_PACKAGE.test(p.name) && !usedAtRuntime(p.name, runtime))) &&
            !removed.has(p.name),
        );
        if (!tools.length) continue;
        const names = tools.map((t) => t.name);
        out.push({
          rule: 'toolchain-in-final-stage',
          loc: locOfWord(cmd, tools[0]!.index),
          message: `${names.map((n) => `\`${n}\``).join(', ')} ${names.length > 1 ? 'are' : 'is'} installed in the final image: compilers and headers are only needed to build`,
          fix: node
            ? 'build native modules in a `builder` stage (`npm ci` there) and `COPY --from=builder` the `node_modules` into a slim final stage; keep only runtime libraries there'
            : 'build in a `builder` stage and `COPY --from=builder` the result (wheels or a venv) into a slim final stage; keep only runtime libraries there',
        });
      }
    }
    return out;
  },
};

/** The ENV values of the stages that ship (LD_PRELOAD, library paths): what the image uses at run time. */
function envText(facts: Facts): string {
  return facts.chain
    .flatMap((i) => facts.df.stages[i]!.instrs)
    .filter((ins) => ins.keyword === 'ENV')
    .map((ins) => ins.body)
    .join('\n');
}

/** A `-dev` package whose unversioned library the image loads (`libjemalloc-dev` for `LD_PRELOAD=…/libjemalloc.so`). */
function usedAtRuntime(pkg: string, env: string): boolean {
  const lib = /^(lib[a-z0-9+.-]*?)\d*(?:\.\d+)*-dev(?:el)?$/.exec(pkg.replace(/[:=].*$/, ''))?.[1];
  return !!lib && new RegExp(`\\b${lib.replace(/[.+]/g, '\\$&')}[\\d.]*\\.so\\b`).test(env);
}

function isNodeImage(facts: Facts): boolean {
  const first = facts.chain[0];
  const image = first !== undefined ? facts.df.stages[first]!.image : '';
  return /^(?:[\w.-]+\/)*node(?::|@|$)/.test(image.toLowerCase());
}
