/**
 * Each service's Dockerfile, read once per run (bounded, inside the repository, as text: the lint's
 * own reader) and parsed once into the Dockerfile model that the lint, the build (step lines), the
 * measure (layer lines) and the deploy fit (healthchecks) are all handed. A Dockerfile that cannot be read has no entry: the lint
 * reads it again to say why, the build and the measure then point at no line.
 */
import { emptyDockerfile, parseDockerfile, type ParsedDockerfile } from '../dockerfile/index.js';
import { ContextFiles } from '../lint/context-files.js';
import type { Plan, ServicePlan } from '../plan/model.js';
import type { Report } from '../report/model.js';
import { relativePath } from '../util/paths.js';
import { entryFor, type PipelineDeps } from './deps.js';
import { reportInternalError } from './internal-error.js';

export interface ServiceDockerfile {
  /** The Dockerfile's text as read. */
  text: string;
  /** Its one parse in this run. */
  model: ParsedDockerfile;
}

/** The run's Dockerfiles by service name. */
export type RunDockerfiles = ReadonlyMap<string, ServiceDockerfile>;

export function readDockerfiles(plan: Plan, report: Report, deps: PipelineDeps): RunDockerfiles {
  const out = new Map<string, ServiceDockerfile>();
  for (const service of plan.services) {
    const text = textOf(service, plan.root);
    if (text === undefined) continue;
    let model: ParsedDockerfile;
    try {
      model = parseDockerfile(text);
    } catch (error) {
      // Our parser's bug, not the user's Dockerfile: said as such, and the model stays empty.
      reportInternalError(
        entryFor(report.services, service.name),
        `the parse of ${label(service, plan.root)}`,
        error,
        deps,
      );
      model = emptyDockerfile(text.split(/\r?\n|\r/));
    }
    out.set(service.name, { text, model });
  }
  return out;
}

function textOf(service: ServicePlan, root: string): string | undefined {
  const build = service.build;
  if (!build) return undefined;
  if (build.dockerfileInline !== undefined) return build.dockerfileInline;
  if (!build.dockerfile) return undefined;
  const read = new ContextFiles(root, build.context).read(build.dockerfile);
  return read.ok ? read.text : undefined;
}

function label(service: ServicePlan, root: string): string {
  const dockerfile = service.build?.dockerfile;
  return dockerfile ? relativePath(root, dockerfile) : `${service.name} (inline Dockerfile)`;
}
