/** Package-manager caches and apt lists left in a layer of the final image. */
import type { Cmd, RunInfo } from '../analysis.js';
import { baseName, languageInstall, systemInstall } from './commands.js';
import { locOfWord } from './loc.js';
import { type RawFinding, type Rule, meta } from './types.js';

function runText(run: RunInfo): string {
  return run.cmds.map((c) => c.argv.join(' ')).join('\n');
}

function mountCovers(run: RunInfo, re: RegExp): boolean {
  return run.cacheMounts.some((t) => re.test(t));
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '';
}

export const packageCacheInLayer: Rule = {
  meta: meta('package-cache-in-layer'),
  check({ facts }) {
    const out: RawFinding[] = [];
    for (const run of facts.runs) {
      if (!facts.chain.includes(run.stage)) continue;
      const text = runText(run);
      const hasUpdate = run.cmds.some((c) => /^apt(?:-get)?$/.test(baseName(c)) && c.argv.includes('update'));
      const listsRemoved =
        /\brm\b[^\n]*\/var\/lib\/apt\/lists/.test(text) || mountCovers(run, /^\/var\/lib\/apt/);
      for (const cmd of run.cmds) {
        const sys = systemInstall(cmd);
        const problems: string[] = [];
        const fixes: string[] = [];
        if (sys?.manager === 'apt') {
          const noRec =
            cmd.argv.includes('--no-install-recommends') ||
            cmd.argv.some((a) => /APT::Install-Recommends=(?:false|0|"?false"?)/i.test(a));
          if (!noRec) {
            problems.push(
              '`apt-get install` without `--no-install-recommends` also installs recommended packages',
            );
            fixes.push('add `--no-install-recommends`');
          }
          if (hasUpdate && !listsRemoved) {
            problems.push('the apt lists from `apt-get update` stay in the layer (~40 MB)');
            fixes.push('end the same RUN with `&& rm -rf /var/lib/apt/lists/*`');
          }
        } else if (sys?.manager === 'apk') {
          if (
            !cmd.argv.includes('--no-cache') &&
            !/\brm\b[^\n]*\/var\/cache\/apk/.test(text) &&
            !mountCovers(run, /apk/)
          ) {
            problems.push('`apk add` without `--no-cache` keeps the package index in the layer');
            fixes.push('use `apk add --no-cache`');
          }
        } else if (sys?.manager === 'dnf') {
          if (
            !/\b(?:dnf|yum|microdnf|tdnf) clean all\b/.test(text) &&
            !/\brm\b[^\n]*\/var\/cache\/(?:dnf|yum)/.test(text) &&
            !mountCovers(run, /\/var\/cache\/(?:dnf|yum)/)
          ) {
            problems.push(
              `\`${baseName(cmd)} install\` without \`${baseName(cmd)} clean all\` keeps its cache in the layer`,
            );
            fixes.push(`end the same RUN with \`&& ${baseName(cmd)} clean all\``);
          }
        } else {
          const lang = languageInstall(cmd);
          const p = lang && langProblem(lang, cmd, run, text);
          if (p) {
            problems.push(p.problem);
            fixes.push(p.fix);
          }
        }
        if (!problems.length) continue;
        out.push({
          rule: 'package-cache-in-layer',
          loc: locOfWord(cmd, 0),
          message: problems.join('; '),
          fix: fixes.join(', '),
        });
      }
    }
    return out;
  },
};

function langProblem(
  lang: string,
  cmd: Cmd,
  run: RunInfo,
  text: string,
): { problem: string; fix: string } | undefined {
  const env = (k: string): string | undefined => cmd.env.get(k) ?? run.vars.get(k) ?? undefined;
  const a = cmd.argv;
  if (lang === 'pip') {
    // pip (optparse) takes any unambiguous prefix of an option: `--no-cache` is `--no-cache-dir`.
    if (
      a.some((x) => x.length >= '--no-cac'.length && '--no-cache-dir'.startsWith(x)) ||
      a.includes('--no-index') ||
      truthy(env('PIP_NO_CACHE_DIR')) ||
      run.pipConfNoCache
    )
      return undefined;
    if (
      mountCovers(run, /(?:^\/root\/\.cache\/?$|\.cache\/pip|^\/root\/\.cache$)/) ||
      (env('PIP_CACHE_DIR') && mountCovers(run, new RegExp(`^${escapeRe(env('PIP_CACHE_DIR')!)}`)))
    )
      return undefined;
    if (/\brm\b[^\n]*\.cache(?:\/pip)?\b|\bpip\d*(?:\.\d+)? cache (?:purge|remove)/.test(text))
      return undefined;
    return {
      problem:
        '`pip install` without `--no-cache-dir` keeps the downloaded wheels in the layer (for torch, GBs)',
      fix: 'add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use `RUN --mount=type=cache,target=/root/.cache/pip`',
    };
  }
  if (lang === 'uv') {
    // uv takes `--no-cache`, `-n`, and pip's spelling `--no-cache-dir` as an alias.
    if (
      a.includes('--no-cache') ||
      a.includes('--no-cache-dir') ||
      a.includes('-n') ||
      truthy(env('UV_NO_CACHE'))
    )
      return undefined;
    if (
      mountCovers(run, /(?:^\/root\/\.cache\/?$|\.cache\/uv|^\/root\/\.cache$)/) ||
      (env('UV_CACHE_DIR') && mountCovers(run, new RegExp(`^${escapeRe(env('UV_CACHE_DIR')!)}`)))
    )
      return undefined;
    if (/\buv cache (?:clean|prune)|\brm\b[^\n]*\.cache(?:\/uv)?\b/.test(text)) return undefined;
    return {
      problem: '`uv` without `--no-cache` keeps its cache in the layer',
      fix: 'add `--no-cache`, set `ENV UV_NO_CACHE=1`, or use `RUN --mount=type=cache,target=/root/.cache/uv`',
    };
  }
  if (lang === 'conda') {
    if (a[1] === 'env' && a[2] !== 'create' && a[2] !== 'update') return undefined;
    if (/\b(?:conda|mamba|micromamba) clean\b/.test(text) || mountCovers(run, /pkgs/)) return undefined;
    return {
      problem: `\`${baseName(cmd)} ${a[1]}\` without \`${baseName(cmd)} clean -afy\` keeps downloaded packages in the layer`,
      fix: `end the same RUN with \`&& ${baseName(cmd)} clean -afy\``,
    };
  }
  if (lang === 'npm') {
    if (
      /\b(?:npm cache clean|yarn cache clean|pnpm store prune)\b|\brm\b[^\n]*(?:\.npm|\.cache\/yarn|yarn-cache)/.test(
        text,
      ) ||
      mountCovers(run, /\.npm|yarn|pnpm/)
    )
      return undefined;
    return {
      problem: `\`${a.slice(0, 2).join(' ')}\` keeps its download cache in the layer`,
      fix: 'add `&& npm cache clean --force` or use `RUN --mount=type=cache,target=/root/.npm`',
    };
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
