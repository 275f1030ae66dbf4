/**
 * Image history: which instruction made each layer, its size as the engine reports it, and the
 * Dockerfile line of that instruction.
 */
import type { Instr } from '../dockerfile/index.js';
import type { HistoryEntry } from './save-archive.js';
import { trySize } from '../config/units.js';

/** A row of `docker image history --no-trunc --human=false --format '{{json .}}'`. */
export interface HistoryRow {
  createdBy: string;
  size: number;
}

/** Parses the history rows (newest first, as docker prints them) into oldest-first rows. */
export function parseHistoryRows(stdout: string): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    try {
      const row = JSON.parse(text) as { CreatedBy?: unknown; Size?: unknown };
      rows.push({
        createdBy: typeof row.CreatedBy === 'string' ? row.CreatedBy : '',
        // `--human=false` prints bytes; anything else is not a size (0: sized by the layer).
        size: trySize(row.Size) ?? 0,
      });
    } catch {
      // not a row
    }
  }
  return rows.reverse();
}

/** The instruction behind each history entry, with the layer it made (if any), oldest first. */
export interface Instruction {
  createdBy: string;
  /** Index into the image's layers, or undefined for an instruction that made no layer. */
  layer?: number;
  /** Size of the layer, per `docker image history`. */
  size?: number;
}

/**
 * Lines up the config history (which knows the empty layers) with the engine's history rows (which
 * know the sizes) and with the layers. Either source may be missing; the layer count is the truth.
 */
export function instructionsOf(
  layerCount: number,
  config: HistoryEntry[] | undefined,
  rows: HistoryRow[],
): Instruction[] {
  if (config && config.filter((entry) => !entry.emptyLayer).length === layerCount) {
    const sameRows = rows.length === config.length;
    let layer = 0;
    return config.map((entry, index) => {
      const row = sameRows ? rows[index] : undefined;
      const createdBy = row?.createdBy || entry.createdBy;
      if (entry.emptyLayer) return { createdBy };
      return { createdBy, layer: layer++, size: row?.size };
    });
  }
  // No usable config: rows with bytes are layers, if that adds up.
  const sized = rows.filter((row) => row.size > 0);
  if (sized.length === layerCount) {
    let layer = 0;
    return rows.map((row) =>
      row.size > 0
        ? { createdBy: row.createdBy, layer: layer++, size: row.size }
        : { createdBy: row.createdBy },
    );
  }
  return Array.from({ length: layerCount }, (_, layer) => ({ createdBy: '', layer }));
}

/**
 * Keyword and arguments of a history record (`created_by`), as they compare with the model's
 * instruction: the classic builder's `/bin/sh -c #(nop)`, BuildKit's `# buildkit`, the build args
 * in front of a RUN and the shell are taken off.
 */
export function recordedInstruction(createdBy: string): { keyword: string; args: string } {
  let rest = createdBy.trim().replace(/\s+#\s*buildkit$/, '');
  // Classic builder: `/bin/sh -c #(nop)  ENV A=b` or `/bin/sh -c apt-get ...` (a RUN).
  const classic = /^\/bin\/sh -c (#\(nop\)\s*)?/.exec(rest);
  if (classic) rest = classic[1] ? rest.slice(classic[0].length) : `RUN ${rest.slice(classic[0].length)}`;
  const keywordMatch = /^([A-Za-z]+)\s*/.exec(rest);
  if (!keywordMatch) return { keyword: '', args: collapse(rest) };
  const keyword = keywordMatch[1]!.toUpperCase();
  let args = rest.slice(keywordMatch[0].length);
  // BuildKit records build args in front of a RUN: `RUN |2 A=1 B=2 /bin/sh -c cmd`.
  const buildArgs = /^\|(\d+)\s+/.exec(args);
  if (buildArgs) {
    args = args.slice(buildArgs[0].length);
    for (let i = 0; i < Number(buildArgs[1]); i += 1) args = args.replace(/^\S+\s*/, '');
  }
  // Flags (`--chown=...`) are recorded for some instructions only; the model's body has none.
  while (/^--\S+\s*/.test(args)) args = args.replace(/^--\S+\s*/, '');
  args = args.replace(/^\/bin\/(?:ba)?sh -c\s+/, '');
  return { keyword, args: collapse(execForm(args) ?? args) };
}

/** The model's instruction as a history record shows it: no flags, the exec form's words joined. */
function modelInstruction(instr: Instr): { keyword: string; args: string } {
  return { keyword: instr.keyword, args: collapse(instr.json ? instr.json.join(' ') : instr.body) };
}

/** `["python", "-m", "x"]` is recorded as `python -m x`. */
function execForm(args: string): string | undefined {
  if (!/^\[.*\]$/s.test(args.trim())) return undefined;
  try {
    const parts = JSON.parse(args) as unknown;
    return Array.isArray(parts) ? parts.map(String).join(' ') : undefined;
  } catch {
    return undefined;
  }
}

function collapse(text: string): string {
  return text
    .replace(/\\\s*\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Instructions that leave no history entry. */
const NO_HISTORY = new Set(['FROM', 'ARG']);

/** How the history entries line up with the stage's Dockerfile steps. */
export interface StepMatch {
  /**
   * The line of each instruction (same order as `instructions`) matched to a step of the stage;
   * undefined for entries of the base image and for entries that match nothing.
   */
  lines: (number | undefined)[];
  /**
   * When every step of the stage was matched: the stage's `FROM` line, and how many of the oldest
   * entries come before the stage's first matched instruction (the base image's).
   */
  base?: { fromLine: number; entries: number };
}

/**
 * Matches history entries to the instructions of the stage that produced the image: `stage` is the
 * model's instructions of that stage, FROM first; entries are matched from the newest backwards.
 */
export function matchSteps(
  instructions: readonly Instruction[],
  stage: readonly Instr[] | undefined,
): StepMatch {
  const lines: (number | undefined)[] = instructions.map(() => undefined);
  if (!stage || stage.length === 0) return { lines };
  const from = stage[0]!.keyword === 'FROM' ? stage[0] : undefined;
  const candidates = stage
    .filter((instr) => !NO_HISTORY.has(instr.keyword))
    .map((instr) => ({ line: instr.line, ...modelInstruction(instr) }));

  let next = candidates.length - 1;
  let oldestMatch = instructions.length;
  let matched = 0;
  for (let i = instructions.length - 1; i >= 0 && next >= 0; i -= 1) {
    const entry = recordedInstruction(instructions[i]!.createdBy);
    for (let k = next; k >= 0; k -= 1) {
      const step = candidates[k]!;
      if (matches(entry, step)) {
        lines[i] = step.line;
        oldestMatch = i;
        matched += 1;
        next = k - 1;
        break;
      }
    }
  }
  if (from && matched === candidates.length)
    return { lines, base: { fromLine: from.line, entries: oldestMatch } };
  return { lines };
}

function matches(entry: { keyword: string; args: string }, step: { keyword: string; args: string }): boolean {
  if (entry.keyword !== step.keyword) return false;
  if (entry.args === step.args) return true;
  if (!entry.args || !step.args) return false;
  // Quoting and variable expansion differ between the file and the record: compare loosely.
  const loose = (text: string): string => text.replace(/["']/g, '');
  const a = loose(entry.args);
  const b = loose(step.args);
  return a === b || a.includes(b) || b.includes(a);
}

/** The instruction as a short one-liner: `RUN pip install torch …`. */
export function shortInstruction(createdBy: string, max = 80): string {
  const text = instructionText(createdBy);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A history record's instruction as one line of Dockerfile text (`RUN pip install torch`): the
 * BuildKit marker, the classic builder's `#(nop)` and `/bin/sh -c`, and the build args BuildKit
 * records before a RUN taken out.
 */
export function instructionText(createdBy: string): string {
  return createdBy
    .replace(/\s+#\s*buildkit$/, '')
    .replace(/^\/bin\/sh -c #\(nop\)\s*/, '')
    .replace(/^\/bin\/sh -c /, 'RUN ')
    .replace(/^RUN \|\d+ (?:\S+=\S*\s+)*/, 'RUN ')
    .replace(/^RUN \/bin\/sh -c /, 'RUN ')
    .replace(/\s+/g, ' ')
    .trim();
}
