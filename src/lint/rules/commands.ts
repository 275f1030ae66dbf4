/** Recognising system and language package-manager commands in a RUN's commands (pure). */
import path from 'node:path';
import type { Cmd } from '../analysis.js';

/** `project`: poetry, pdm and pipenv, which install a project's locked dependencies. */
export type Manager = 'apt' | 'apk' | 'dnf' | 'pip' | 'uv' | 'conda' | 'npm' | 'project';

export interface PkgCommand {
  manager: Manager;
  cmd: Cmd;
  /** Package arguments and their word index in the command. */
  packages: { name: string; index: number }[];
  flags: string[];
}

const WITH_VALUE: Record<string, Set<string>> = {
  apt: new Set(['-o', '-t', '--target-release', '-c', '--config-file']),
  apk: new Set(['-t', '--virtual', '-X', '--repository', '--root', '-p']),
  dnf: new Set([
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--releasever',
    '--installroot',
    '-c',
    '--config',
  ]),
};

/** `apt-get install`, `apk add`, `dnf install`...: the install sub-command and its packages. */
export function systemInstall(cmd: Cmd): PkgCommand | undefined {
  const base = path.posix.basename(cmd.argv[0] ?? '');
  let manager: Manager | undefined;
  if ((base === 'apt-get' || base === 'apt' || base === 'aptitude') && cmd.argv.includes('install'))
    manager = 'apt';
  else if (base === 'apk' && cmd.argv.includes('add')) manager = 'apk';
  else if (/^(?:dnf|yum|microdnf|tdnf)$/.test(base) && cmd.argv.includes('install')) manager = 'dnf';
  if (!manager) return undefined;
  const verb = manager === 'apk' ? 'add' : 'install';
  const start = cmd.argv.indexOf(verb) + 1;
  const packages: { name: string; index: number }[] = [];
  const flags = cmd.argv.slice(1).filter((a) => a.startsWith('-'));
  const withValue = WITH_VALUE[manager]!;
  for (let i = 1; i < cmd.argv.length; i++) {
    const a = cmd.argv[i]!;
    if (a.startsWith('-')) {
      if (withValue.has(a)) i++;
      continue;
    }
    if (i < start) continue;
    packages.push({ name: a.replace(/[=:].*$/, '').toLowerCase(), index: i });
  }
  return { manager, cmd, packages, flags };
}

/** Packages removed again by `apt-get purge/remove`, `apk del`, `dnf remove` in the same RUN. */
export function removedPackages(cmds: Cmd[]): Set<string> {
  const out = new Set<string>();
  for (const c of cmds) {
    const base = path.posix.basename(c.argv[0] ?? '');
    const verbs = base === 'apk' ? ['del'] : ['purge', 'remove', 'autoremove', 'erase'];
    if (!/^(?:apt-get|apt|apk|dnf|yum|microdnf)$/.test(base)) continue;
    const v = c.argv.findIndex((a) => verbs.includes(a));
    if (v < 0) continue;
    for (const a of c.argv.slice(v + 1)) if (!a.startsWith('-')) out.add(a.toLowerCase());
  }
  return out;
}

export function baseName(cmd: Cmd): string {
  return path.posix.basename(cmd.argv[0] ?? '');
}

const PY_RE = /^python(?:\d+(?:\.\d+)?)?$/;
const PIP_RE = /^pip(?:\d+(?:\.\d+)?)?$/;

/** `pip install`, `python -m pip install`, `uv pip install`, `uv sync`, conda/mamba install, npm install/ci. */
export function languageInstall(cmd: Cmd): Manager | undefined {
  const a = cmd.argv;
  const base = baseName(cmd);
  if (PIP_RE.test(base) && a[1] === 'install') return 'pip';
  if (PY_RE.test(base) || /^\$\{?\w*PYTHON\w*\}?$/i.test(base)) {
    const m = a.indexOf('-m');
    if (m > 0 && PIP_RE.test(a[m + 1] ?? '') && a[m + 2] === 'install') return 'pip';
    return undefined;
  }
  if (
    base === 'uv' &&
    ((a[1] === 'pip' && (a[2] === 'install' || a[2] === 'sync')) || a[1] === 'sync' || a[1] === 'add')
  )
    return 'uv';
  if (
    (base === 'poetry' && (a[1] === 'install' || a[1] === 'add' || a[1] === 'sync')) ||
    ((base === 'pdm' || base === 'pipenv') && (a[1] === 'install' || a[1] === 'sync'))
  )
    return 'project';
  if (
    /^(?:conda|mamba|micromamba)$/.test(base) &&
    (a[1] === 'install' || a[1] === 'create' || a[1] === 'update' || a[1] === 'env')
  )
    return 'conda';
  if (
    (base === 'npm' && (a[1] === 'install' || a[1] === 'i' || a[1] === 'ci')) ||
    ((base === 'yarn' || base === 'pnpm') && (a[1] === undefined || a[1] === 'install' || a[1] === 'add'))
  )
    return 'npm';
  return undefined;
}
