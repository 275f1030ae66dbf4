/**
 * Parse a Dockerfile, once per run, into the model (`model.ts`), on top of dockerfile-ast:
 * continuations joined (with a map back to physical lines and columns), comment lines inside a
 * continuation dropped, heredoc bodies split out, exec (JSON) form decoded, leading `--flags`
 * parsed, the `escape` directive honoured, ARG values substituted in FROM, and each stage's parent
 * stage. What makes the text not a Dockerfile is a problem (the user's, with its line), never a
 * throw; a throw from here is a bug.
 */
import { DockerfileParser } from 'dockerfile-ast';
import type { Flag, Heredoc, Instr, ParsedDockerfile, Problem, Segment, Stage, VarValue } from './model.js';

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

const FLAG_RE = /^--([A-Za-z][\w-]*)(?:=("[^"]*"|'[^']*'|\S*))?\s*/;

/**
 * `$X`, `${X}`, `${X:-default}`, `${X-default}`, `${X:+alt}` with the given values: a declared
 * variable that is not set (`null`) expands as the engine expands it; an unknown one stays as written.
 */
export function substitute(text: string, vars: ReadonlyMap<string, VarValue>): string {
  if (!text.includes('$')) return text;
  return text.replace(
    /\$(?:\{([A-Za-z_]\w*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_]\w*))/g,
    (m, braced, op, word, bare) => {
      const name = (braced ?? bare) as string;
      const value = vars.get(name);
      const set = typeof value === 'string' && (op?.startsWith(':') ? value !== '' : true);
      if (op === ':-' || op === '-') return set ? value! : (word as string);
      if (op === ':+' || op === '+') return set ? (word as string) : '';
      return value === null ? '' : (value ?? m);
    },
  );
}

function parseFlags(text: string): { flags: Flag[]; rest: number } {
  const flags: Flag[] = [];
  let i = 0;
  while (i < text.length) {
    const m = FLAG_RE.exec(text.slice(i));
    if (!m) break;
    let value = m[2] ?? null;
    if (value && /^["']/.test(value)) value = value.slice(1, -1);
    flags.push({ name: m[1]!.toLowerCase(), value });
    i += m[0].length;
  }
  return { flags, rest: i };
}

function parseJson(body: string): string[] | null {
  const t = body.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return null;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* shell form */
  }
  return null;
}

/** A model with no stage and no problem: what stands in for a text our own parse failed on. */
export function emptyDockerfile(lines: string[]): ParsedDockerfile {
  return { stages: [], globalArgs: new Map(), escape: '\\', problems: [], lines };
}

export function parseDockerfile(source: string): ParsedDockerfile {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = text.split(/\r?\n|\r/);
  const problems: Problem[] = [];
  let doc: ReturnType<typeof DockerfileParser.parse>;
  try {
    doc = DockerfileParser.parse(text);
  } catch (error) {
    // The library cannot read it: the file is not a Dockerfile we can lint, the user's to look at.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    problems.push({ line: 1, message: `cannot be parsed: ${message}` });
    return { ...emptyDockerfile(lines), problems };
  }
  const escape = doc.getEscapeCharacter() || '\\';
  const stages: Stage[] = [];
  const globalArgs = new Map<string, string | undefined>();
  const stageByName = new Map<string, number>();

  for (const ins of doc.getInstructions()) {
    const range = ins.getRange();
    const start = range.start.line;
    let end = range.end.line;
    const keyword = ins.getKeyword().toUpperCase();
    if (!KEYWORDS.has(keyword)) {
      problems.push({
        line: start + 1,
        message: `unknown instruction \`${truncate(ins.getKeyword(), 30)}\``,
      });
      continue;
    }

    const { pieces, segs, lineIdx } = joinLines(lines, start, end, escape);

    let heredocs: Heredoc[] = [];
    if ((keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') && hasHeredocMarker(lines, start, end))
      heredocs = readHeredocs(ins, lines, problems);
    else if (end > lineIdx) end = Math.max(lineIdx, end);

    const { flags, rest } = parseFlags(pieces);
    const body = pieces.slice(rest);
    const instr: Instr = {
      keyword,
      line: start + 1,
      endLine: end + 1,
      stage: stages.length - 1,
      text: pieces,
      segs,
      flags,
      body,
      bodyOffset: rest,
      json: parseJson(body),
      heredocs,
    };

    if (keyword === 'FROM') {
      addStage(instr, stages, stageByName, globalArgs, problems);
      continue;
    }
    if (stages.length === 0) {
      if (keyword === 'ARG') {
        for (const [k, v] of parseAssignments(body, true)) globalArgs.set(k, v);
        continue;
      }
      problems.push({ line: instr.line, message: `\`${keyword}\` before the first \`FROM\`` });
      continue;
    }
    stages[stages.length - 1]!.instrs.push(instr);
  }

  if (stages.length === 0 && problems.length === 0) {
    problems.push({
      line: 1,
      message: lines.some((l) => l.trim() && !l.trim().startsWith('#'))
        ? 'no `FROM` instruction'
        : 'empty Dockerfile: no instructions',
    });
  }
  return { stages, globalArgs, escape, problems, lines };
}

/** An instruction's own lines joined: continuations followed, comment and blank lines inside dropped. */
function joinLines(
  lines: string[],
  start: number,
  end: number,
  escape: string,
): { pieces: string; segs: Segment[]; lineIdx: number } {
  const first = lines[start] ?? '';
  const kwMatch = /^\s*\S+\s*/.exec(first);
  let pieces = '';
  const segs: Segment[] = [];
  let lineIdx = start;
  let col = kwMatch ? kwMatch[0].length : first.length;
  let raw = first.slice(col);
  for (;;) {
    const trimmedEnd = raw.replace(/[ \t]+$/, '');
    const continues = trimmedEnd.endsWith(escape) && lineIdx < end;
    const piece = continues ? trimmedEnd.slice(0, -escape.length) : raw;
    segs.push({ offset: pieces.length, line: lineIdx + 1, column: col + 1 });
    pieces += piece;
    if (!continues) break;
    pieces += ' ';
    lineIdx++;
    while (lineIdx < end && /^\s*(#.*)?$/.test(lines[lineIdx] ?? '')) lineIdx++;
    raw = lines[lineIdx] ?? '';
    col = 0;
  }
  return { pieces, segs, lineIdx };
}

/** The heredocs of a RUN/COPY/ADD, with a problem for one never closed. */
function readHeredocs(ins: unknown, lines: string[], problems: Problem[]): Heredoc[] {
  const getHeredocs = (ins as { getHeredocs?: () => import('dockerfile-ast').Heredoc[] }).getHeredocs;
  const docs = getHeredocs ? getHeredocs.call(ins) : [];
  const out: Heredoc[] = [];
  for (const h of docs) {
    const cr = h.getContentRange();
    const dr = h.getDelimiterRange();
    const cSegs: Segment[] = [];
    let content = '';
    if (cr) {
      for (let l = cr.start.line; l <= cr.end.line && l < lines.length; l++) {
        if (l === (dr?.start.line ?? -1)) break;
        cSegs.push({ offset: content.length, line: l + 1, column: 1 });
        content += (lines[l] ?? '') + '\n';
      }
    }
    if (!dr) {
      problems.push({
        line: h.getStartRange().start.line + 1,
        message: `heredoc \`<<${h.getName()}\` is never closed (no \`${h.getName()}\` line)`,
      });
    }
    out.push({
      name: h.getName(),
      content,
      segs: cSegs,
      terminated: !!dr,
      line: h.getStartRange().start.line + 1,
    });
  }
  return out;
}

/** A `FROM` starts a stage: its image with the global ARGs substituted, its name, its parent stage. */
function addStage(
  instr: Instr,
  stages: Stage[],
  stageByName: Map<string, number>,
  globalArgs: Map<string, string | undefined>,
  problems: Problem[],
): void {
  const words = instr.body.trim().split(/\s+/);
  const imageRaw = words[0] ?? '';
  const image = substitute(imageRaw, globalArgs);
  const asIdx = words.findIndex((w) => w.toLowerCase() === 'as');
  const name = asIdx > 0 ? words[asIdx + 1]?.toLowerCase() : undefined;
  const index = stages.length;
  instr.stage = index;
  const parent = stageByName.get(image.toLowerCase());
  if (!imageRaw) problems.push({ line: instr.line, message: '`FROM` without an image' });
  const stage: Stage = { index, from: instr, image, instrs: [instr] };
  if (name) stage.name = name;
  if (parent !== undefined) stage.parent = parent;
  stages.push(stage);
  if (name) stageByName.set(name, index);
}

function hasHeredocMarker(lines: string[], start: number, end: number): boolean {
  for (let l = start; l <= end; l++) if (lines[l]?.includes('<<')) return true;
  return false;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/**
 * `ENV A=1 B="two words"`, `ENV A 1` (legacy), `ARG A`, `ARG A=1`.
 * `argStyle`: names without values are declared (value undefined).
 */
export function parseAssignments(body: string, argStyle: boolean): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const t = body.trim();
  if (!t) return out;
  if (!argStyle && !/^[A-Za-z_][\w.-]*=/.test(t)) {
    const m = /^(\S+)\s+([\s\S]*)$/.exec(t);
    if (m) out.set(m[1]!, unquote(m[2]!.trim()));
    else out.set(t, '');
    return out;
  }
  const re = /([A-Za-z_][\w.-]*)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|(?:[^\s\\]|\\.)*))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(t))) {
    out.set(m[1]!, m[2] === undefined ? undefined : unquote(m[2]));
    const next = t.slice(re.lastIndex).match(/^\s*/);
    re.lastIndex += next ? next[0].length : 0;
  }
  return out;
}

function unquote(v: string): string {
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) {
    return v.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return v.replace(/\\(.)/g, '$1');
}
