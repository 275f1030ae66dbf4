/**
 * The services with only `image:` (postgres, redis): not built, but deployed, so their images count
 * in the deployment's total. Each is measured with `docker image inspect` when the engine has the
 * image, after `docker pull` with `pull-images: true` (a failed pull is a warning for that service,
 * never an error). Where no size can be had, `sizeUnknown` says why in one line. Their images are
 * never judged against a service's budgets (src/budget/judge.ts), only in the total.
 */
import { imageStoreOf, type ImageStore } from '../build/builder.js';
import { findImage, pullImage, snapshotSize } from '../docker/image.js';
import type { Plan } from '../plan/model.js';
import { formatDuration } from '../report/format.js';
import type { Report, ServiceReport } from '../report/model.js';
import { isUserError, oneLine } from '../util/errors.js';
import type { PipelineDeps } from './deps.js';

/** A pull that takes longer is stopped (a registry that never answers must not hold the run). */
export const PULL_TIMEOUT_MS = 10 * 60_000;

export interface ImageOnlyOptions {
  /** Pull each image first. */
  pull: boolean;
  signal?: AbortSignal;
  /** Longest a pull may take (default PULL_TIMEOUT_MS). */
  pullTimeoutMs?: number;
}

/** The report entries of the services to measure: `image:` without `build:`, active, no error. */
export function imageOnlyEntries(plan: Plan, report: Report): ServiceReport[] {
  const planned = new Map(plan.services.map((service) => [service.name, service]));
  return report.services.filter((entry) => {
    const service = planned.get(entry.name);
    return (
      service !== undefined &&
      service.build === undefined &&
      service.image !== undefined &&
      service.notBuilt === undefined &&
      service.error === undefined &&
      entry.error === undefined
    );
  });
}

export async function measureImageOnly(
  plan: Plan,
  report: Report,
  options: ImageOnlyOptions,
  deps: PipelineDeps,
): Promise<void> {
  const entries = imageOnlyEntries(plan, report);
  if (entries.length === 0) return;
  try {
    const store = report.engine?.imageStore ?? (await detectImageStore(deps));
    if (options.pull) {
      // Side by side, as compose pulls them.
      await Promise.all(entries.map((entry) => pull(entry, options, deps)));
    }
    // One after another, so an image two services share counts once, for the first.
    const counted = new Map<string, string>();
    for (const service of report.services) {
      if (service.built && service.image && !counted.has(service.image.id)) {
        counted.set(service.image.id, service.name);
      }
    }
    for (const entry of entries) await measure(entry, store, counted, options, deps);
  } catch (error) {
    // The docker CLI could not be started: every size is unknown, for that one reason.
    if (!isUserError(error)) throw error;
    for (const entry of entries) if (!entry.image) entry.sizeUnknown ??= oneLine(error);
  }
}

async function pull(entry: ServiceReport, options: ImageOnlyOptions, deps: PipelineDeps): Promise<void> {
  const ref = entry.imageRef!;
  deps.log.info(`${entry.name}: pulling ${ref}`);
  const timeoutMs = options.pullTimeoutMs ?? PULL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const failure = await pullImage(deps.docker, ref, { signal });
  if (failure === undefined) return;
  const why = timeout.aborted ? `no answer in ${formatDuration(timeoutMs)}` : failure;
  const line = `pull of ${ref} failed: ${why}`;
  (entry.warnings ??= []).push(line);
  deps.log.warning(`${entry.name}: ${line}`);
}

async function measure(
  entry: ServiceReport,
  store: ImageStore,
  counted: Map<string, string>,
  options: ImageOnlyOptions,
  deps: PipelineDeps,
): Promise<void> {
  const ref = entry.imageRef!;
  const found = await findImage(deps.docker, ref);
  if ('missing' in found) {
    entry.sizeUnknown = options.pull
      ? `${ref} is not on the engine (the pull failed)`
      : `${ref} is not on the engine (pull-images: true pulls it)`;
    deps.log.info(`${entry.name}: size unknown: ${entry.sizeUnknown}`);
    return;
  }
  if ('error' in found) {
    entry.sizeUnknown = `${ref} cannot be inspected: ${found.error}`;
    deps.log.warning(`${entry.name}: size unknown: ${entry.sizeUnknown}`);
    return;
  }
  const shared = counted.get(found.image.id);
  if (shared !== undefined) {
    entry.sizeUnknown = `the same image as service ${shared}, counted there`;
    return;
  }
  const image = found.image;
  if (store === 'containerd') {
    // There inspect's Size is the compressed content: the snapshots' usage stands for the size.
    const estimate = await snapshotSize(deps.docker, ref);
    if (estimate === undefined) {
      entry.sizeUnknown = `${ref}: uncompressed size unknown on the containerd store (docker image history could not be read)`;
      return;
    }
    image.size = estimate;
    image.sizeSource = 'snapshots';
  }
  entry.image = image;
  counted.set(image.id, entry.name);
}

/** The engine's image store, when no build asked already: `classic` when `docker info` cannot say. */
async function detectImageStore(deps: PipelineDeps): Promise<ImageStore> {
  const info = await deps.docker.run(['info', '--format', '{{json .DriverStatus}}']);
  return info.code === 0 ? imageStoreOf(info.stdout.trim()) : 'classic';
}
