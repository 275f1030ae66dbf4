/**
 * Secrets in build args. BuildKit writes build args into the image history
 * (`RUN |1 HF_TOKEN=hf_... /bin/sh -c ...`) and the build log, so they would reach the report, the
 * comment and the log: they are masked in the log (`core.setSecret`, before any build output) and
 * redacted in the report. What counts as a secret is decided in `util/secrets.ts`, the list the lint
 * rule `secret-in-build-arg` shares.
 *
 * Redaction works on values, never on serialized text: the report object is walked and only string
 * values change; keys, numbers, booleans and null are never touched, so no secret value (`true`,
 * `error`) can break the report's shape.
 */
import type { Plan } from '../plan/model.js';
import { isRedactable, isSecretName, redactShapes, secretsInValue } from '../util/secrets.js';

/** The secret values of the plan's build args, deduplicated, longest first (so none hides another). */
export function secretValues(plan: Plan): string[] {
  const values = plan.services.flatMap((service) =>
    Object.entries(service.build?.args ?? {}).flatMap(([name, value]) => {
      if (typeof value !== 'string') return [];
      const shapes = secretsInValue(value);
      // A value with a token or a URL password in it is masked whole, and so is each part.
      const whole = (isSecretName(name) || shapes.length > 0) && isRedactable(value) ? [value] : [];
      return [...whole, ...shapes.filter(isRedactable)];
    }),
  );
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***`, and every token or URL password found by its shape. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return redactShapes(out);
}

/** A copy of `value` (JSON data) with secrets replaced in its string values only. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  return walk(value, secrets) as T;
}

/**
 * Fields whose values image-budget writes itself from a fixed set (enums, rule ids, budget keys):
 * a secret that happens to be `error` or `success` must not turn them into `***`.
 */
const OWN_VALUES = new Set(['schemaVersion', 'severity', 'status', 'unit', 'source', 'rule', 'budget']);

function walk(value: unknown, secrets: readonly string[], key?: string): unknown {
  if (typeof value === 'string') return key && OWN_VALUES.has(key) ? value : redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, secrets, k);
    return out;
  }
  return value;
}
