/**
 * The import graph of src/, read with the TypeScript compiler's own pre-processor (every `import`,
 * `import type`, `export ... from` and `import()`), checked against the layers of ./layers.ts:
 * no import up the layers or across peers, no loop between files, except the listed ones.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { ALLOWED_CYCLES, ALLOWED_DOORS, ALLOWED_UPWARD, DOORS, LAYERS } from './layers.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SRC = path.join(ROOT, 'src');

/** Every .ts file under src/, as a path relative to src/ with POSIX separators. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** A package file named by path (`../../node_modules/pkg/file.cjs`) is a package import, not a src/ file. */
const isPackagePath = (name: string): boolean => name.includes('/node_modules/');

/** file → the src/ files it imports (relative specifiers only: packages are not layers). */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(path.join(SRC, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((imported) => imported.fileName)
      .filter((name) => name.startsWith('.') && !isPackagePath(name))
      .map((name) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(file), name)).replace(/\.js$/, '.ts'),
      );
    for (const target of targets)
      if (!known.has(target)) throw new Error(`${file} imports ${target}, which is not a file of src/`);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** file → the packages it imports (node: built-ins included). */
function packageImports(files: string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => {
      const info = ts.preProcessFile(readFileSync(path.join(SRC, file), 'utf8'), true, true);
      return [
        file,
        info.importedFiles
          .map((i) => i.fileName)
          .filter((name) => !name.startsWith('.') || isPackagePath(name)),
      ];
    }),
  );
}

/** `file imports module` for each import of a door's module from a file the door does not list. */
function doorsBroken(packages: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [file, modules] of packages) {
    for (const name of modules) {
      for (const door of DOORS) {
        const through = door.module.endsWith('/') ? name.startsWith(door.module) : name === door.module;
        const allowed = door.only.some((place) =>
          place.endsWith('/') ? file.startsWith(place) : file === place,
        );
        if (through && !allowed) out.push(`${file} imports ${door.module}`);
      }
    }
  }
  return [...new Set(out)].sort();
}

const folderOf = (file: string): string => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '(root)');

const rank = new Map(LAYERS.flatMap((layer, index) => layer.map((folder) => [folder, index] as const)));

/** Cross-folder imports that do not go strictly down the layers. */
function upwardImports(graph: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      const [a, b] = [folderOf(from), folderOf(to)];
      if (a !== b && rank.get(a)! >= rank.get(b)!) out.push(`${from} -> ${to}`);
    }
  }
  return out.sort();
}

/** Loops between files: the strongly connected components of more than one file (Tarjan). */
function importCycles(graph: Map<string, string[]>): string[] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || graph.get(file)?.includes(file))
        cycles.push(component.sort().join(' <-> '));
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles.sort();
}

const graph = importGraph(sourceFiles());

describe('layers of src/', () => {
  test('every folder of src/ has a layer in __tests__/unit/architecture/layers.ts', () => {
    const folders = [...new Set([...graph.keys()].map(folderOf))].sort();
    expect(folders.filter((folder) => !rank.has(folder))).toEqual([]);
  });

  test('no folder is in two layers', () => {
    const all = LAYERS.flat();
    expect(all.length).toBe(new Set(all).size);
  });

  test('imports only go down the layers (or are listed, with their fix, in ALLOWED_UPWARD)', () => {
    const allowed = ALLOWED_UPWARD.map((edge) => `${edge.from} -> ${edge.to}`);
    const found = upwardImports(graph);
    expect(
      found.filter((edge) => !allowed.includes(edge)),
      'new upward imports',
    ).toEqual([]);
    expect(
      allowed.filter((edge) => !found.includes(edge)),
      'fixed: delete from ALLOWED_UPWARD',
    ).toEqual([]);
  });

  test('no import loop between files (or listed in ALLOWED_CYCLES)', () => {
    const allowed = ALLOWED_CYCLES.map((cycle) => cycle.files);
    const found = importCycles(graph);
    expect(
      found.filter((cycle) => !allowed.includes(cycle)),
      'new import loops',
    ).toEqual([]);
    expect(
      allowed.filter((cycle) => !found.includes(cycle)),
      'fixed: delete from ALLOWED_CYCLES',
    ).toEqual([]);
  });

  test('side effects go through their one module (DOORS), or are listed in ALLOWED_DOORS', () => {
    const allowed = ALLOWED_DOORS.map((entry) => `${entry.from} imports ${entry.module}`);
    const found = doorsBroken(packageImports([...graph.keys()]));
    expect(
      found.filter((line) => !allowed.includes(line)),
      'new imports past a door',
    ).toEqual([]);
    expect(
      allowed.filter((line) => !found.includes(line)),
      'fixed: delete from ALLOWED_DOORS',
    ).toEqual([]);
  });

  test('the checks catch what they are for', () => {
    expect(
      doorsBroken(
        new Map([
          ['lint/x.ts', ['node:child_process', '@octokit/rest', 'yaml']],
          ['util/git.ts', ['node:child_process']],
          ['action/y.ts', ['@actions/core']],
        ]),
      ),
    ).toEqual(['lint/x.ts imports @octokit/', 'lint/x.ts imports node:child_process']);
    const fake = new Map([
      ['util/a.ts', ['report/b.ts']],
      ['report/b.ts', ['util/a.ts']],
      ['action/c.ts', ['cli/d.ts']],
      ['cli/d.ts', []],
    ]);
    expect(upwardImports(fake)).toEqual(['action/c.ts -> cli/d.ts', 'util/a.ts -> report/b.ts']);
    expect(importCycles(fake)).toEqual(['report/b.ts <-> util/a.ts']);
  });
});

describe('docs/architecture.md', () => {
  test('shows the layers in the order of layers.ts', () => {
    const page = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const section = /## Layers\n([\s\S]*?)\n## /.exec(page)?.[1] ?? '';
    const shown = [...section.matchAll(/^\d+\. (.+)$/gm)].map((m) =>
      [...m[1]!.matchAll(/`([^`]+)`/g)].map((name) => name[1]!.replace(/\/$/, '')),
    );
    expect(shown).toEqual(LAYERS.map((layer) => [...layer]));
  });

  test('has a paragraph for every folder of src/', () => {
    const page = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    for (const folder of LAYERS.flat().filter((f) => f !== '(root)'))
      expect(page).toContain(`### \`${folder}/\``);
  });

  /** Each folder's paragraph: from its `### \`folder/\`` heading to the next heading. */
  const paragraphs = (): Map<string, string> => {
    const page = readFileSync(path.join(ROOT, 'docs/architecture.md'), 'utf8');
    const out = new Map<string, string>();
    for (const m of page.matchAll(/^### `([^`]+)\/`\n([\s\S]*?)(?=^#{1,3} |(?![\s\S]))/gm))
      out.set(m[1]!, m[2]!);
    return out;
  };

  test.each(sourceFiles().filter((file) => file.includes('/')))(
    "names %s in its folder's paragraph (a file of a subfolder: the subfolder)",
    (file) => {
      const [folder, ...rest] = file.split('/');
      const name = rest.length === 1 ? rest[0]! : `${rest[0]!}/`;
      expect(paragraphs().get(folder!) ?? '').toContain(`\`${name}\``);
    },
  );
});
