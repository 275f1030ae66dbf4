/**
 * Build-arg values that look like secrets (a name with TOKEN, SECRET, PASSWORD, KEY, ...). BuildKit
 * writes build args into the image history (`RUN |1 HF_TOKEN=hf_... /bin/sh -c ...`), so they would
 * reach the report, the comment and the log: they are masked in the log and redacted in the report.
 */
import type { Plan } from '../plan/model.js';

const SECRET_NAME = /TOKEN|SECRET|PASSW(OR)?D|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH/i;
/** Values this short are too likely to appear by chance (`1`, `true`) to be worth redacting. */
const MIN_LENGTH = 4;

export function secretValues(plan: Plan): string[] {
  const values = plan.services.flatMap((service) =>
    Object.entries(service.build?.args ?? {})
      .filter(([name, value]) => SECRET_NAME.test(name) && value.length >= MIN_LENGTH)
      .map(([, value]) => value),
  );
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}

/** A copy of `value` (JSON data) with every secret replaced by `***`. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  let text = JSON.stringify(value);
  for (const secret of secrets) text = text.split(JSON.stringify(secret).slice(1, -1)).join('***');
  return JSON.parse(text) as T;
}
