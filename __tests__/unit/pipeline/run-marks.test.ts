/**
 * The pipeline marks its report against the baseline it is given (report/marks.ts): a lint-only run
 * on a small repository, no engine (the docker binary does not exist: our compose parser reads it).
 */
import { describe, expect, test } from 'vitest';
import { Docker } from '../../../src/docker/exec.js';
import type { Report } from '../../../src/report/model.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import { silentLog } from '../../../src/util/log.js';
import { writeRepo } from '../../support/repo.js';
import { report as reportOf, service } from '../report/fixtures.js';

const DOCKERFILE = ['FROM busybox:1.36', 'ARG API_TOKEN', 'ARG DB_PASSWORD', 'RUN echo hi', ''].join('\n');

async function lint(baseline?: Report): Promise<Report> {
  const root = writeRepo({
    'compose.yaml': 'services:\n  api:\n    build: ./api\n',
    'api/Dockerfile': DOCKERFILE,
  });
  const { report } = await runPipeline(
    {
      root,
      tag: 'ib/{service}:{sha}',
      sha: 'local',
      docker: 'x',
      workDir: root,
      lintOnly: true,
      ...(baseline ? { baseline } : {}),
    },
    { docker: new Docker('/nonexistent/docker'), log: silentLog, env: {} },
  );
  return report;
}

describe('runPipeline with a baseline', () => {
  test('without one, nothing is marked and there is no fixed list', async () => {
    const report = await lint();
    expect(report.services[0]?.findings.map((f) => f.rule)).toContain('secret-in-build-arg');
    expect(report.services[0]?.findings.every((f) => f.mark === undefined)).toBe(true);
    expect(report.fixed).toBeUndefined();
  });

  test('findings the baseline had are existing (whatever their line), the others new, the gone ones fixed', async () => {
    const head = await lint();
    const token = head.services[0]!.findings.find((f) => f.message.includes('API_TOKEN'))!;
    const gone = { ...token, message: token.message.replace('API_TOKEN', 'OLD_SECRET'), line: 9 };
    const baseline = reportOf([service('api', 10, { findings: [{ ...token, line: 7 }, gone] })]);
    const report = await lint(baseline);
    const marks = Object.fromEntries(
      report.services[0]!.findings.map((f) => [f.message.split('`')[1], f.mark]),
    );
    expect(marks).toMatchObject({ 'ARG API_TOKEN': 'existing', 'ARG DB_PASSWORD': 'new' });
    expect(report.fixed?.findings.map((f) => f.message)).toEqual([gone.message]);
    expect(report.fixed?.violations).toEqual([]);
  });
});
