/** What the collecting modules share: how interpreters and installers are named, and small helpers. */
import type { Req } from '../python-files.js';
import type { PyItem } from './facts.js';

const PY_RE = /^python(?:\d+(?:\.\d+)?)?$/;
/** `python3`, or a variable that names the interpreter (`${PYTHON}`, `$DL_PYTHON_EXECUTABLE`). */
export function isPython(base: string): boolean {
  return PY_RE.test(base) || /^\$\{?\w*PYTHON\w*\}?$/i.test(base);
}
export const PIP_RE = /^pip(?:\d+(?:\.\d+)?)?$/;
export const CONDA_RE = /^(?:conda|mamba|micromamba)$/;
export const SHELL_RE = /^(?:sh|bash|dash|zsh|ash)$/;
export const INDEX_ENV = [
  'PIP_INDEX_URL',
  'PIP_EXTRA_INDEX_URL',
  'PIP_FIND_LINKS',
  'UV_INDEX_URL',
  'UV_EXTRA_INDEX_URL',
  'UV_INDEX',
  'UV_DEFAULT_INDEX',
  'UV_FIND_LINKS',
];
export const MAX_DEPTH = 4;
/** pip/uv/poetry/conda options that take a value. */
export const WITH_VALUE: ReadonlySet<string> = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '--constraints',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '--src',
  '--upgrade-strategy',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--only-binary',
  '--no-binary',
  '--progress-bar',
  '-C',
  '--config-settings',
  '--global-option',
  '--trusted-host',
  '--cache-dir',
  '--log',
  '--timeout',
  '--retries',
  '--proxy',
  '--cert',
  '--client-cert',
  '--exists-action',
  '--report',
  '--root-user-action',
  '--python',
  '-p',
  '--index',
  '--default-index',
  '--torch-backend',
  '--extra',
  '--group',
  '--only-group',
  '--without',
  '--with',
  '--source',
  '-n',
  '--name',
  '--prefix',
  '-c',
  '--channel',
  '-f',
  '--file',
  '--override',
  '--index-strategy',
  '--keyring-provider',
  '--resolution',
  '--prerelease',
  '--link-mode',
  '--compile-bytecode',
  '-P',
  '--upgrade-package',
  '--extra-index',
  '--only',
  '-E',
  '--extras',
  '--directory',
  '--project',
  '--python-platform',
  '--requirements',
]);

export function reqFields(r: Req): Pick<PyItem, 'name' | 'extras' | 'spec'> & { url?: string } {
  const out: Pick<PyItem, 'name' | 'extras' | 'spec'> & { url?: string } = {
    name: r.name,
    extras: r.extras,
    spec: r.spec,
  };
  if (r.url) out.url = r.url;
  return out;
}

export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
  return re.test(name);
}
