/**
 * Which compose files a project is made of, as the compose CLI chooses them: the files given
 * (`--compose a.yml,b.yml`, several `-f`), else `COMPOSE_FILE` (split on `COMPOSE_PATH_SEPARATOR`,
 * `:` by default), else the first default name in the folder and the override file beside it.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isUserError, UserError, type Problem } from '../util/errors.js';
import { readTextBounded } from '../util/read-file.js';
import { parseDotEnv } from './dotenv.js';
import { relativePath } from '../util/paths.js';

/** The names compose looks for, in its order of preference (Compose 2.26 takes `.yml` first for `docker-compose`). */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yml',
  'docker-compose.yaml',
];

/** The override files compose reads after the default one when no file is named. */
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/** `a.yml,b.yml` or one per line: the files in order, blanks dropped. */
export function splitFiles(given: string | string[] | undefined): string[] {
  const list = Array.isArray(given) ? given : given === undefined ? [] : [given];
  return list
    .flatMap((entry) => entry.split(/[,\n]/))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** `COMPOSE_PROFILES=a,b` or profiles given as flags: a list, blanks dropped. */
export function splitProfiles(given: string | string[] | undefined): string[] {
  return splitFiles(given);
}

/**
 * The compose files, absolute and in order. `given` paths are relative to `root`; a folder stands
 * for its default file (and its override). Empty when there is none (services may come from the
 * config file alone). A named file that is missing is a UserError naming it, or, when `errors` is
 * given, one line pushed there (the other files still count).
 */
export function findComposeFiles(
  root: string,
  given: string | string[] | undefined,
  env: Record<string, string | undefined> = {},
  errors?: Problem[],
): string[] {
  let files = splitFiles(given);
  if (files.length === 0 && env.COMPOSE_FILE) {
    const separator = env.COMPOSE_PATH_SEPARATOR || path.delimiter;
    files = env.COMPOSE_FILE.split(separator)
      .map((entry) => entry.trim())
      .filter(Boolean);
  }
  if (files.length === 0) return defaultFiles(root);
  return files.flatMap((entry) => {
    const file = path.resolve(root, entry);
    if (!existsSync(file)) {
      const missing = new UserError('compose file not found', relativePath(root, file));
      // With `errors`, a missing file is one line there and the other files still count.
      if (!errors) throw missing;
      errors.push(missing.toProblem());
      return [];
    }
    if (!statSync(file).isDirectory()) return [file];
    const found = defaultFiles(file);
    if (found.length === 0) {
      throw new UserError(`no ${COMPOSE_FILE_NAMES.join(', ')} in this folder`, relativePath(root, file));
    }
    return found;
  });
}

function defaultFiles(dir: string): string[] {
  const main = COMPOSE_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  if (!main) return [];
  const override = OVERRIDE_FILE_NAMES.map((name) => path.join(dir, name)).find((file) => existsSync(file));
  return override ? [main, override] : [main];
}

/** The variables that choose the project, which Compose also takes from `.env` in the folder. */
const COMPOSE_VARIABLES = [
  'COMPOSE_FILE',
  'COMPOSE_PATH_SEPARATOR',
  'COMPOSE_PROFILES',
  'COMPOSE_PROJECT_NAME',
];

/**
 * `env` with `COMPOSE_FILE`, `COMPOSE_PATH_SEPARATOR`, `COMPOSE_PROFILES` and `COMPOSE_PROJECT_NAME`
 * taken from `root/.env` where the environment has none, as Compose does. A `.env` that cannot be
 * read changes nothing here (the loader names it).
 */
export function withDotEnvSettings(
  root: string,
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const file = path.join(root, '.env');
  if (!existsSync(file)) return env;
  let values: Record<string, string>;
  try {
    values = parseDotEnv(readTextBounded(file, { root }), (name) => env[name]);
  } catch (error) {
    if (!isUserError(error)) throw error;
    return env;
  }
  const result = { ...env };
  for (const name of COMPOSE_VARIABLES) {
    if (result[name] === undefined && values[name] !== undefined) result[name] = values[name];
  }
  return result;
}
