/**
 * A compose service's memory: its limit and reservation in bytes, read as compose reads them.
 *
 * Two spellings of each: `deploy.resources.limits.memory` / `mem_limit` and
 * `deploy.resources.reservations.memory` / `mem_reservation`. When both are set and differ, compose
 * refuses the project for the limit (`can't set distinct values on 'mem_limit' and
 * 'deploy.resources.limits.memory'`), so that is an error on the line; for the reservation the
 * `deploy` value is the one compose applies, so that is a warning. Replicas (`deploy.replicas`, or
 * `scale`) run side by side on the host: the host sums count each one. Pure.
 */
import { parseComposeBytes } from '../compose/bytes.js';
import type { DeploySpec } from '../plan/model.js';
import type { Finding } from '../report/model.js';

export { parseComposeBytes };

export interface Memory {
  limit?: number;
  reservation?: number;
  /** Containers of this service at once (`deploy.replicas` or `scale`), 1 when not set. */
  replicas: number;
  /** Line of the limit (or the service, when it has none). */
  line: number;
}

/** The memory of one compose service, and the findings of its memory keys (bad values, conflicts). */
export function memoryOf(spec: DeploySpec): { memory: Memory; findings: Finding[] } {
  const findings: Finding[] = [];
  const read = (path: string, value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined;
    const bytes = parseComposeBytes(value);
    if (bytes === undefined) {
      findings.push(
        finding(spec, 'invalid-memory', 'error', path, `${path}: ${JSON.stringify(value)} is not a size`, {
          fix: 'write it as compose does: 256M, 1.5G, 512MB or a number of bytes',
        }),
      );
    }
    return bytes;
  };
  const pick = (deployPath: string, legacyPath: string, severity: Finding['severity']) => {
    const [deployKey, legacyKey] = [deployPath, legacyPath] as const;
    const fromDeploy = read(deployKey, valueAt(spec.fields, deployKey));
    const legacy = read(legacyKey, spec.fields[legacyKey]);
    if (fromDeploy !== undefined && legacy !== undefined && fromDeploy !== legacy) {
      const message =
        severity === 'error'
          ? `${legacyKey} and ${deployKey} differ: compose refuses distinct values for them`
          : `${legacyKey} and ${deployKey} differ: compose applies ${deployKey}`;
      findings.push(
        finding(spec, 'memory-conflict', severity, deployKey, message, { fix: `keep only ${deployKey}` }),
      );
    }
    return fromDeploy ?? legacy;
  };
  const limit = pick('deploy.resources.limits.memory', 'mem_limit', 'error');
  const reservation = pick('deploy.resources.reservations.memory', 'mem_reservation', 'warning');
  const memory: Memory = { replicas: replicasOf(spec), line: spec.line };
  if (limit !== undefined) memory.limit = limit;
  if (reservation !== undefined) memory.reservation = reservation;
  memory.line = spec.lines['deploy.resources.limits.memory'] ?? spec.lines.mem_limit ?? spec.line;
  return { memory, findings };
}

function replicasOf(spec: DeploySpec): number {
  const replicas = record(spec.fields.deploy)?.replicas ?? spec.fields.scale;
  const n = typeof replicas === 'string' ? Number(replicas) : replicas;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 1;
}

/** The value at a dotted path of nested mappings. */
export function valueAt(fields: Record<string, unknown>, path: string): unknown {
  let value: unknown = fields;
  for (const key of path.split('.')) value = record(value)?.[key];
  return value;
}

export function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A finding on a compose key's line (the service's line when the key has none). */
export function finding(
  spec: DeploySpec,
  rule: string,
  severity: Finding['severity'],
  path: string | undefined,
  message: string,
  extra: { fix?: string } = {},
): Finding {
  const line = (path !== undefined ? spec.lines[path] : undefined) ?? spec.line;
  return { rule, severity, file: spec.file, line, message, ...extra, source: 'compose' };
}
