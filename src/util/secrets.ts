/**
 * What is a secret, in one place: the lint rule `secret-in-build-arg` (a secret passed as ARG or
 * ENV) and the redaction of the report and the log (`pipeline/secrets.ts`) both decide with these.
 *
 * - By name: one of its words (split at `_`, `-`, `.` and camelCase) is a secret word, so
 *   `GH_PAT`, `DB_PASS`, `PYPI_CREDS`, `SENTRY_DSN`, `NPM_AUTH`, `API_KEY`, `hfToken` are secrets and
 *   `AUTHOR`, `TOKENIZERS_PARALLELISM`, `KEYBOARD` are not; a pointer to a secret or a setting about
 *   it (`*_FILE`, `*_PATH`, `*_ID`, `*_TTL`, `PUBLIC_KEY`, ...) is not.
 * - By value: a token with a known prefix (GitHub `ghp_`/`gho_`/`ghs_`/`github_pat_`, GitLab
 *   `glpat-`, AWS `AKIA`/`ASIA`, `sk-` keys, Slack `xox?-`, Hugging Face `hf_`, npm `npm_`, PyPI
 *   `pypi-`), a JWT, or the password inside a URL's userinfo (`postgres://u:pw@db/app`).
 * - Never: a value of a few characters, a boolean or a number (`1`, `true`, `false`, `off`).
 */

/** A word of a name that makes it a secret's name. */
export const SECRET_NAME_WORDS: ReadonlySet<string> = new Set([
  'TOKEN',
  'PAT',
  'PASS',
  'PASSWORD',
  'PASSWD',
  'PWD',
  'SECRET',
  'KEY',
  'APIKEY',
  'CREDS',
  'CREDENTIAL',
  'CREDENTIALS',
  'DSN',
  'AUTH',
]);

/** Names that have a secret word but hold no secret: a pointer to one, a public key, a setting. */
export const SECRET_NAME_EXCEPTIONS =
  /(?:_FILE|_PATH|_DIR|_ID|_URL_FILE|_LENGTH|_TTL|_EXPIRY|_EXPIRE\w*|_TYPE|_NAME|_SOCK|_METHOD|_MODE|_ENABLED|_REQUIRED)$|^GPG_KEY|PUBLIC_KEY|^PWD$/;

/** Values this short are too likely to appear by chance to be worth redacting. */
export const MIN_SECRET_LENGTH = 4;

const NOT_A_SECRET = /^(?:true|false|yes|no|on|off|null|none|nil|[-+]?\d+(?:\.\d+)?)$/i;

/** The words of a name: `GH_PAT` → GH, PAT; `hfToken` → HF, TOKEN. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
}

export function isSecretName(name: string): boolean {
  const upper = name.toUpperCase();
  if (SECRET_NAME_EXCEPTIONS.test(upper)) return false;
  return nameWords(name).some((w) => SECRET_NAME_WORDS.has(w));
}

/** Long enough and not a boolean or a number: worth redacting when its name says secret. */
export function isRedactable(value: string): boolean {
  return value.trim().length >= MIN_SECRET_LENGTH && !NOT_A_SECRET.test(value.trim());
}

/** Tokens recognised by their shape, wherever they appear in a text. */
export const TOKEN_PATTERNS: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bglpat-[A-Za-z0-9_-]{20,}/g,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bhf_[A-Za-z0-9]{20,}/g,
  /\bnpm_[A-Za-z0-9]{30,}/g,
  /\bpypi-[A-Za-z0-9_-]{30,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** `scheme://user:password@` — group 1 is everything before the password, group 2 the password. */
export const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^/\s@]+)@/gi;

/** The secret parts of a value found by their shape: tokens, and a URL's password. */
export function secretsInValue(value: string): string[] {
  const found: string[] = [];
  for (const re of TOKEN_PATTERNS) for (const m of value.matchAll(re)) found.push(m[0]);
  for (const m of value.matchAll(URL_PASSWORD)) {
    // `${PASSWORD}` is a reference, not the password.
    if (!/^\$\{?\w/.test(m[2]!)) found.push(m[2]!);
  }
  return found;
}

/** `text` with every token and URL password (found by shape) replaced by `***`. */
export function redactShapes(text: string): string {
  let out = text;
  for (const re of TOKEN_PATTERNS) out = out.replace(re, '***');
  return out.replace(URL_PASSWORD, (m, before: string, password: string) =>
    /^\$\{?\w/.test(password) || password === '***' ? m : `${before}***@`,
  );
}
