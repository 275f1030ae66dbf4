/** A build context sent without a .dockerignore, or one that lets junk through. */
import { formatBytes } from '../../report/format.js';
import { DOCKERIGNORE_SHOULD_EXCLUDE } from '../data.js';
import { isIgnored, parseDockerignore } from '../dockerignore.js';
import { type RawFinding, type Rule, meta } from './types.js';

/** Below both, the rule stays quiet: a 7 KB context or a 10 KB `tests/` is not worth a finding. */
export const DOCKERIGNORE_THRESHOLD = { minBytes: 1024 * 1024, minShare: 0.1 };

export const dockerignore: Rule = {
  meta: meta('dockerignore'),
  check({ dockerignore: di }) {
    if (!di || !di.copiedDirs.length || !di.listing) return [];
    const patterns = di.text !== undefined ? parseDockerignore(di.text) : undefined;
    const roots = di.copiedDirs.map((d) => d.source.replace(/^\.\/?/, '').replace(/\/+$/, ''));
    const under = (p: string): boolean => roots.some((r) => r === '' || p === r || p.startsWith(`${r}/`));
    const sent = di.listing.entries.filter((e) => under(e.path) && !isIgnored(patterns, e.path));
    const listing = di.listing;
    const sizeNote = (): string => {
      const total = sent.reduce((s, e) => s + listing.size(e), 0);
      const tops = new Map<string, number>();
      for (const e of sent) {
        const slash = e.path.indexOf('/');
        if (e.dir || slash < 0) continue;
        const top = e.path.slice(0, slash);
        tops.set(top, (tops.get(top) ?? 0) + listing.size(e));
      }
      const largest = [...tops]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([n, s]) => `${n}/ ${formatBytes(s)}`);
      return `the context sends ${formatBytes(total)}${listing.truncated ? ' or more' : ''}${largest.length ? ` (largest: ${largest.join(', ')})` : ''}`;
    };

    const explicit = new Set(roots.filter(Boolean).map((r) => r.split('/')[0]!));
    const junk: { path: string; why: string }[] = [];
    for (const item of DOCKERIGNORE_SHOULD_EXCLUDE) {
      if (explicit.has(item.name)) continue;
      const hit = sent.find(
        (e) => e.dir && (item.anywhere ? e.path.split('/').pop() === item.name : e.path === item.name),
      );
      if (hit) {
        junk.push({ path: hit.path, why: item.why });
      }
    }
    const out: RawFinding[] = [];
    const sizeOf = (dir: string): number =>
      sent.filter((e) => !e.dir && e.path.startsWith(`${dir}/`)).reduce((s, e) => s + listing.size(e), 0);
    const describe = (): string =>
      junk.map((j) => `\`${j.path}/\` (${j.why}, ${formatBytes(sizeOf(j.path))})`).join(', ');
    // Calibration: what should be excluded must weigh at least 1 MB, or 10% of what is sent.
    const total = sent.reduce((s, e) => s + (e.dir ? 0 : listing.size(e)), 0);
    const junkBytes = junk.reduce((s, j) => s + sizeOf(j.path), 0);
    const threshold = di.threshold ?? DOCKERIGNORE_THRESHOLD;
    if (junkBytes < threshold.minBytes && junkBytes < threshold.minShare * total) return out;
    if (di.text === undefined) {
      // BuildKit sends only what COPY names: without a whole-context COPY, only junk inside the copied folders matters.
      const whole = di.copiedDirs.find((d) => d.source === '.' || d.source === './');
      const first = whole ?? di.copiedDirs[0]!;
      out.push({
        rule: 'dockerignore',
        loc: first.loc,
        message: `no .dockerignore in the build context: this COPY sends everything; ${sizeNote()}${junk.length ? `, including ${describe()}` : ''}`,
        fix: `add ${di.file} excluding .git, __pycache__, .venv, tests, models and data folders`,
      });
    } else if (junk.length) {
      out.push({
        rule: 'dockerignore',
        loc: { file: di.file, line: 1 },
        message: `.dockerignore does not exclude ${describe()}; ${sizeNote()}`,
        fix: `add ${junk.map((j) => `${j.path}/`).join(', ')} to ${di.file}`,
      });
    }
    return out;
  },
};
