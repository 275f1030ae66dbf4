/**
 * "Linting stays under 1 s for a 50-service repository": 50 services, each a build context copied
 * from the lint corpus (Dockerfile, requirements, scripts, pyproject, locks), linted one after the
 * other in a fresh process, first run included (module load and JIT warm-up count).
 *
 *   npx tsx script/bench/lint-repo.ts [services=50]
 */
import { cpSync, mkdtempSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const t0 = performance.now();
const { lintTarget } = await import('../../src/lint/index.js');
const loaded = performance.now() - t0;

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = path.join(repo, '__fixtures__/lint');
const count = Number(process.argv[2] ?? 50);
const sources = readdirSync(corpus)
  .filter((n) => existsSync(path.join(corpus, n, 'Dockerfile')) && !n.startsWith('bad-'))
  .sort();
const root = mkdtempSync(path.join(tmpdir(), 'ib-repo50-'));
for (let i = 0; i < count; i++)
  cpSync(path.join(corpus, sources[i % sources.length]!), path.join(root, `svc-${i}`), { recursive: true });

const t1 = performance.now();
let findings = 0;
for (let i = 0; i < count; i++) {
  const context = path.join(root, `svc-${i}`);
  findings += lintTarget({
    service: `svc-${i}`,
    root,
    context,
    dockerfile: path.join(context, 'Dockerfile'),
  }).length;
}
const lint = performance.now() - t1;
rmSync(root, { recursive: true, force: true });
process.stdout.write(
  `${count} services: lint ${lint.toFixed(0)} ms (module load ${loaded.toFixed(0)} ms more), ${findings} findings; goal < 1000 ms: ${lint + loaded < 1000 ? 'met' : 'NOT met'}\n`,
);
