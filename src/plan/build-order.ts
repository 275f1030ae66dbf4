/**
 * Which builds use another service's image, so that the scheduler starts them after it:
 * `additional_contexts: {name: service:NAME}`, and a Dockerfile `FROM` of the tag another service
 * builds (its `image:`, else compose's `<project>-<service>`). A reference to a service that does
 * not exist, or a loop, is an error on the services concerned.
 */
import type { ComposeModel } from '../compose/model.js';
import { readTextBounded } from '../util/read-file.js';
import type { ServicePlan } from './model.js';
import { problem } from '../util/errors.js';

export function buildOrder(services: ServicePlan[], model: ComposeModel, root?: string): ServicePlan[] {
  const names = new Set(services.map((service) => service.name));
  const byTag = new Map<string, string>();
  for (const service of services) {
    if (!service.build) continue;
    for (const tag of imageTags(service.name, service.image, model.name)) byTag.set(tag, service.name);
  }
  const result = services.map((service) => {
    if (!service.build || service.error) return service;
    const after = new Set<string>();
    for (const [name, value] of Object.entries(service.build.additionalContexts ?? {})) {
      if (!value.startsWith('service:')) continue;
      const other = value.slice('service:'.length);
      if (!names.has(other)) {
        return {
          ...service,
          error: problem(
            `service "${service.name}": additional context ${JSON.stringify(name)} names service ${JSON.stringify(other)}, which does not exist`,
          ),
        };
      }
      after.add(other);
    }
    for (const image of fromImages(service, root)) {
      const other = byTag.get(image) ?? byTag.get(`${image}:latest`);
      if (other && other !== service.name) after.add(other);
    }
    return after.size > 0 ? { ...service, buildAfter: [...after].sort() } : service;
  });
  return markLoops(result);
}

/** The references a service's image is known by: `image:` (with and without `:latest`), else compose's name. */
function imageTags(service: string, image: string | undefined, project: string | undefined): string[] {
  const name = image ?? (project ? `${project}-${service}` : service);
  return name.includes(':') && !name.endsWith(':latest')
    ? [name]
    : [name.replace(/:latest$/, ''), `${name.replace(/:latest$/, '')}:latest`];
}

/** The images named by `FROM` in the service's Dockerfile (stages and `${ARG}` bases left out). */
function fromImages(service: ServicePlan, root: string | undefined): string[] {
  const build = service.build;
  if (!build) return [];
  let text = build.dockerfileInline;
  if (text === undefined && build.dockerfile) {
    try {
      text = readTextBounded(build.dockerfile, root ? { root } : {});
    } catch {
      return []; // the lint and the build say what is wrong with the Dockerfile
    }
  }
  const stages = new Set<string>();
  const images: string[] = [];
  for (const line of (text ?? '').replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const match = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!match?.[1]) continue;
    const image = match[1];
    if (!stages.has(image.toLowerCase()) && !image.includes('$')) images.push(image);
    if (match[2]) stages.add(match[2].toLowerCase());
  }
  return images;
}

/** Services in a `buildAfter` loop cannot be ordered: each gets an error naming the loop. */
function markLoops(services: ServicePlan[]): ServicePlan[] {
  const after = new Map(services.map((s) => [s.name, s.buildAfter ?? []]));
  const inLoop = new Map<string, string[]>();
  for (const start of after.keys()) {
    const path = findLoop(start, start, after, new Set());
    if (path) inLoop.set(start, path);
  }
  return services.map((service) => {
    const loop = inLoop.get(service.name);
    return loop && !service.error
      ? {
          ...service,
          error: problem(
            `service "${service.name}": build order loop: ${[service.name, ...loop].join(' -> ')}`,
          ),
        }
      : service;
  });
}

function findLoop(
  start: string,
  at: string,
  after: Map<string, string[]>,
  seen: Set<string>,
): string[] | undefined {
  for (const next of after.get(at) ?? []) {
    if (next === start) return [next];
    if (seen.has(next)) continue;
    seen.add(next);
    const rest = findLoop(start, next, after, seen);
    if (rest) return [next, ...rest];
  }
  return undefined;
}
