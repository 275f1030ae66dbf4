/** `COPY . .` before the dependency install: every code change re-runs the install. */
import { languageInstall, systemInstall } from './commands.js';
import { type RawFinding, type Rule, meta } from './types.js';

export const cacheBustingCopy: Rule = {
  meta: meta('cache-busting-copy'),
  check({ facts }) {
    const out: RawFinding[] = [];
    for (const idx of facts.reachable) {
      const copies = facts.copies.filter(
        (c) => c.stage === idx && c.fromContext && c.sources.some((s) => /^\.\/?$/.test(s)),
      );
      const first = copies[0];
      if (!first) continue;
      const installsBefore = facts.runs.some(
        (r) => r.stage === idx && r.instr.line < first.instr.line && r.cmds.some((c) => languageInstall(c)),
      );
      // uv's and poetry's recommended layering: dependencies first without the project, then the project.
      const depsOnlyBefore = facts.runs.some(
        (r) =>
          r.stage === idx &&
          r.instr.line < first.instr.line &&
          r.cmds.some((c) => c.argv.includes('--no-install-project') || c.argv.includes('--no-root')),
      );
      for (const run of facts.runs) {
        if (run.stage !== idx || run.instr.line < first.instr.line) continue;
        const dep = run.cmds.find((c) => {
          if (systemInstall(c)) return true;
          if (!languageInstall(c)) return false;
          if (c.argv.includes('--no-deps')) return false;
          const py = facts.installs.find((i) => i.cmd === c);
          if (depsOnlyBefore && projectSync(c.argv)) return false;
          if (
            py &&
            installsBefore &&
            py.items.every((it) => it.loc.file !== facts.file) &&
            projectOnly(c.argv)
          )
            return false;
          return true;
        });
        if (!dep) continue;
        out.push({
          rule: 'cache-busting-copy',
          loc: { file: facts.file, line: first.instr.line, anchor: first.instr.line },
          message: `\`${first.instr.keyword} ${first.instr.body.trim()}\` copies the whole context before the install on line ${run.instr.line}: any code change re-runs the install`,
          fix: 'COPY only the dependency files (requirements.txt, pyproject.toml, lock files) first, install, then `COPY . .`',
        });
        break;
      }
    }
    return out;
  },
};

/** `uv sync` after `uv sync --no-install-project`, `poetry install` after `poetry install --no-root`. */
function projectSync(argv: string[]): boolean {
  const base = argv[0]?.split('/').pop();
  return (base === 'uv' && argv[1] === 'sync') || (base === 'poetry' && argv[1] === 'install');
}

function projectOnly(argv: string[]): boolean {
  const pos = argv.slice(2).filter((a) => !a.startsWith('-') && a !== 'install' && a !== 'pip');
  return pos.length > 0 && pos.every((a) => /^\.{1,2}(?:\/|$|\[)/.test(a));
}
