import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { emptyConfig } from '../../../src/config/schema.js';
import { parseDockerfile } from '../../../src/dockerfile/index.js';
import { newReport } from '../../../src/pipeline/assemble.js';
import { readDockerfiles, type ServiceDockerfile } from '../../../src/pipeline/dockerfiles.js';
import { lintPlan } from '../../../src/pipeline/lint.js';
import type { Plan } from '../../../src/plan/model.js';
import type { Log } from '../../../src/util/log.js';
import { Docker } from '../../../src/docker/exec.js';

const GOOD = 'FROM python:3.12-slim\nRUN pip install --no-cache-dir flask\n';

function repo(files: Record<string, string>): Plan {
  const root = mkdtempSync(path.join(tmpdir(), 'pipeline-lint-'));
  const services = Object.entries(files).map(([name, text]) => {
    const context = path.join(root, name);
    mkdirSync(context, { recursive: true });
    if (text) writeFileSync(path.join(context, 'Dockerfile'), text);
    return { name, build: { context, dockerfile: path.join(context, 'Dockerfile'), args: {} } };
  });
  return { root, services, known: services.map((s) => s.name), errors: [] };
}

function recordingLog(): Log & { lines: Record<'info' | 'warning' | 'error' | 'debug', string[]> } {
  const lines = {
    info: [] as string[],
    warning: [] as string[],
    error: [] as string[],
    debug: [] as string[],
  };
  return {
    lines,
    info: (m) => void lines.info.push(m),
    warning: (m) => void lines.warning.push(m),
    error: (m) => void lines.error.push(m),
    debug: (m) => void lines.debug.push(m),
    group: (_name, fn) => fn(),
  };
}

async function run(plan: Plan, dockerfiles?: Map<string, ServiceDockerfile>) {
  const report = newReport(plan, new Date());
  const log = recordingLog();
  const deps = { docker: new Docker('docker'), log };
  await lintPlan(plan, report, emptyConfig(), deps, dockerfiles ?? readDockerfiles(plan, report, deps));
  return { report, log };
}

describe('readDockerfiles: each Dockerfile read and parsed once per run', () => {
  test('readable ones (files and inline) get their text and model; an unreadable one none', () => {
    const plan = repo({ api: GOOD, gone: '' });
    plan.services.push({ name: 'inline', build: { context: plan.root, dockerfileInline: GOOD, args: {} } });
    const report = newReport(plan, new Date());
    const dockerfiles = readDockerfiles(plan, report, { docker: new Docker('docker'), log: recordingLog() });
    expect([...dockerfiles.keys()]).toEqual(['api', 'inline']);
    expect(dockerfiles.get('api')?.text).toBe(GOOD);
    expect(dockerfiles.get('inline')?.model.stages.map((s) => s.image)).toEqual(['python:3.12-slim']);
  });

  test('the lint reads the model it is handed, not the file again', async () => {
    const plan = repo({ api: 'FROM a\nFOO bar\n' });
    const handed = new Map([['api', { text: GOOD, model: parseDockerfile(GOOD) }]]);
    const { report } = await run(plan, handed);
    expect(report.services[0]!.findings.filter((f) => f.rule === 'invalid-dockerfile')).toEqual([]);
  });
});

describe('lintPlan: the user is blamed for their Dockerfile only', () => {
  test('a Dockerfile the parser cannot read is invalid-dockerfile, one line with file and line', async () => {
    const { report, log } = await run(repo({ api: 'FROM python:3.12-slim\nFOO bar\n' }));
    const [entry] = report.services;
    expect(entry!.findings.filter((f) => f.rule === 'invalid-dockerfile')).toEqual([
      expect.objectContaining({ file: 'api/Dockerfile', line: 2, message: 'unknown instruction `FOO`' }),
    ]);
    expect(log.lines.info).toContain('api/Dockerfile:2: error invalid-dockerfile: unknown instruction `FOO`');
    expect(entry!.warnings).toBeUndefined();
  });

  test('an unreadable Dockerfile is the lint’s finding, the run has no model for it', async () => {
    const { report } = await run(repo({ api: '' }));
    expect(report.services[0]!.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['unreadable-file', 'api/Dockerfile', 1],
    ]);
  });

  test('an exception in our analysis is an internal error with its stack, never invalid-dockerfile', async () => {
    const plan = repo({ api: GOOD, web: GOOD });
    const broken = parseDockerfile(GOOD);
    // A model our analysis cannot walk stands for a bug of ours.
    (broken.stages[0] as { instrs: unknown }).instrs = undefined;
    const dockerfiles = new Map([
      ['api', { text: GOOD, model: broken }],
      ['web', { text: 'FROM a\nFOO bar\n', model: parseDockerfile('FROM a\nFOO bar\n') }],
    ]);
    const { report, log } = await run(plan, dockerfiles);
    const [api, web] = report.services;
    expect(api!.findings.filter((f) => f.rule === 'invalid-dockerfile')).toEqual([]);
    expect(api!.warnings).toEqual([
      expect.stringMatching(
        /^internal error in the lint of api\/Dockerfile \(the analysis\): .+; please report it$/,
      ),
    ]);
    expect(log.lines.warning).toEqual([`api: ${api!.warnings![0]}`]);
    expect(log.lines.debug).toHaveLength(1);
    expect(log.lines.debug[0]).toMatch(/^TypeError: .*\n\s+at /);
    // The other service is linted as ever.
    expect(web!.findings.map((f) => [f.rule, f.line])).toContainEqual(['invalid-dockerfile', 2]);
    expect(web!.warnings).toBeUndefined();
  });
});

describe('lintPlan: the service build args reach the lint', () => {
  const CUDA_IF =
    'FROM python:3.12-slim\nARG USE_CUDA\nRUN if [ "$USE_CUDA" = "true" ]; then pip install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cu121; fi\n';

  test.each([
    ['without build args the ARG is empty: the CUDA branch is a note', {}, 'note'],
    ['compose `build.args` turn the CUDA branch on', { USE_CUDA: 'true' }, 'error'],
  ])('%s', async (_name, args, severity) => {
    const plan = repo({ api: CUDA_IF });
    plan.services[0]!.build!.args = args;
    const { report } = await run(plan);
    expect(report.services[0]!.findings.map((f) => `${f.line} ${f.rule} ${f.severity}`)).toEqual([
      `3 cuda-torch ${severity}`,
    ]);
  });
});
