/**
 * Everything the Action writes for one report: the JSON report file, the outputs, the step summary,
 * annotations on the findings' files and lines, and SARIF for code scanning. Each is written even
 * when another fails (the failures come back, one line each, for the caller to fail the job with);
 * nothing is written inside the repository unless an input asks for it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import type { Verdict } from '../budget/verdict.js';
import {
  annotate,
  leftOutNotice,
  reportAnnotations,
  withinLimits,
  type AnnotationCounts,
} from '../render/annotations.js';
import type { ReportDiff } from '../report/diff.js';
import { renderMarkdown } from '../render/markdown.js';
import type { Finding, Report } from '../report/model.js';
import { step } from './step-annotations.js';
import { DEFAULT_DOCS_BASE, toSarif } from '../render/sarif.js';
import type { TrendRun } from '../report/trend.js';
import { oneLine } from '../util/errors.js';
import { relativePath } from '../util/paths.js';

export interface PublishContext {
  report: Report;
  verdict: Verdict;
  diff?: ReportDiff;
  baselineNote?: string;
  /** The default branch's saved runs, drawn as the size trend. */
  trend?: TrendRun[];
  /** Absolute path of the report file. */
  reportFile: string;
  /** SARIF file to write, when asked for. */
  sarifFile?: string;
  /** Folder the report's paths are relative to, and the checkout annotations are relative to. */
  root: string;
  workspace: string;
  env: Record<string, string | undefined>;
}

/** Writes every part; the parts that failed, one line each (empty when all were written). */
export async function publish(context: PublishContext): Promise<string[]> {
  const { report } = context;
  const failures: string[] = [];
  const attempt = async (what: string, write: () => void | Promise<void>): Promise<void> => {
    try {
      await write();
    } catch (error) {
      failures.push(`${what}: ${oneLine(error)}`);
    }
  };
  await attempt(`report ${context.reportFile}`, () => {
    writeText(context.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    core.setOutput('report', context.reportFile);
  });
  await attempt('outputs', () => {
    core.setOutput('total-size', String(report.totals.size));
    core.setOutput('failed', String(report.totals.failed));
    core.setOutput('violations', String(report.totals.violations));
  });
  const findings = report.services.flatMap((s) => s.findings).map((f) => fromWorkspace(f, context));
  await attempt('annotations', () => annotateReport(context));
  const sarifFile = context.sarifFile;
  if (sarifFile) {
    await attempt(`SARIF ${sarifFile}`, () => {
      const sarif = toSarif(findings, report.tool.version, docsBase(context.env));
      writeText(sarifFile, `${JSON.stringify(sarif, null, 2)}\n`);
      core.setOutput('sarif', sarifFile);
    });
  }
  if (context.env.GITHUB_STEP_SUMMARY) {
    await attempt('step summary', async () => {
      await core.summary.addRaw(markdownFor(context), true).write();
    });
  } else {
    step.warning('GITHUB_STEP_SUMMARY is not set: no step summary written');
  }
  return failures;
}

/**
 * Room kept for what the step writes after the report's annotations: the job's failure line (an
 * error), the comment's and the baseline save's warnings, and the notice about what was left out.
 */
const KEPT: AnnotationCounts = { error: 1, warning: 2, notice: 1 };

/** The report's annotations, ranked, in the room the step has left, then one notice for the rest. */
function annotateReport(context: PublishContext): void {
  const room = step.room();
  const { shown, leftOut } = withinLimits(
    reportAnnotations(context.report, { path: (file) => fromRoot(file, context) }),
    {
      error: Math.max(0, room.error - KEPT.error),
      warning: Math.max(0, room.warning - KEPT.warning),
      notice: Math.max(0, room.notice - KEPT.notice),
    },
  );
  annotate(shown, step);
  const notice = leftOutNotice(leftOut, context.sarifFile !== undefined);
  if (notice) annotate([notice], step);
}

/** The comment's and the summary's markdown. */
export function markdownFor(
  context: Pick<PublishContext, 'report' | 'verdict' | 'diff' | 'baselineNote' | 'env' | 'trend'>,
  marker?: string,
): string {
  return renderMarkdown(context.report, context.verdict, {
    ...(context.diff ? { diff: context.diff } : {}),
    ...(context.baselineNote ? { baselineNote: context.baselineNote } : {}),
    ...(context.trend ? { trend: context.trend } : {}),
    ...(marker ? { marker } : {}),
    ...runUrl(context.env),
  });
}

/** Findings carry paths relative to the working directory; annotations and SARIF want the checkout's. */
function fromWorkspace(finding: Finding, context: PublishContext): Finding {
  return { ...finding, file: fromRoot(finding.file, context) };
}

function fromRoot(file: string, context: Pick<PublishContext, 'root' | 'workspace'>): string {
  return relativePath(context.workspace, path.join(context.root, file));
}

/** Rule pages of the version of the action that runs, when the runner says which. */
function docsBase(env: Record<string, string | undefined>): string {
  const repo = env.GITHUB_ACTION_REPOSITORY;
  const ref = env.GITHUB_ACTION_REF;
  return repo && ref
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${repo}/blob/${ref}/`
    : DEFAULT_DOCS_BASE;
}

function runUrl(env: Record<string, string | undefined>): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env;
  return server && repo && id ? { runUrl: `${server}/${repo}/actions/runs/${id}` } : {};
}

function writeText(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}
