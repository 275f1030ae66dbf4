/**
 * The facts the rules judge, as the stage walker collects them from a parsed Dockerfile: every
 * command of every RUN in the stages that are built (with the variables in force and where each
 * word sits), the Python installs with the files they pull in, the COPYs, and the model downloads.
 * Also `Walk`, the walker's state as the collecting modules see it.
 */
import type { ContextFiles } from '../context-files.js';
import type { Instr, ParsedDockerfile, Segment, VarValue } from '../dockerfile.js';
import type { IndexKind } from '../python-files.js';
import type { Word } from '../shell.js';

export interface Loc {
  file: string;
  line: number;
  column?: number;
  endColumn?: number;
  /** First line of the Dockerfile instruction this came from (for suppression comments). */
  anchor?: number;
  /** Set when this sits in a shell branch the build's defaults do not take: the variable that turns it on. */
  branch?: string;
}

export interface Problem {
  rule: 'invalid-dockerfile' | 'unreadable-file';
  severity: 'error' | 'warning';
  loc: Loc;
  message: string;
}

/** Where a piece of text came from: a Dockerfile instruction or heredoc, or a script file. */
export interface Source {
  file: string;
  segs: Segment[];
  /** Offset of this text within the segments' text (for `sh -c` strings). */
  shift: number;
  anchor: number;
}

export interface Cmd {
  argv: string[];
  words: Word[];
  /** `NAME=value` assignments before the command. */
  env: Map<string, string>;
  run: RunInfo;
  source: Source;
  /** The heredoc fed to this command's stdin, if any. */
  stdin?: { content: string; source: Source };
  /** In a branch the defaults do not take: the variable that turns it on. */
  branch?: string;
  /** Shell variables assigned earlier in the same RUN (or script), on the branches the defaults take. */
  shellVars?: Map<string, VarValue>;
}

export interface RunInfo {
  instr: Instr;
  stage: number;
  /** ARG and ENV values in force (`null`: an ARG declared and not set). */
  vars: Map<string, VarValue>;
  cmds: Cmd[];
  cacheMounts: string[];
  /** A pip.conf in the image sets `no-cache-dir`. */
  pipConfNoCache: boolean;
}

export interface PyItem {
  name: string;
  extras: string[];
  spec: string;
  url?: string;
  loc: Loc;
  constraint?: boolean;
  conda?: boolean;
}

export interface PyInstall {
  tool: 'pip' | 'uv' | 'poetry' | 'conda';
  cmd: Cmd;
  loc: Loc;
  stage: number;
  items: PyItem[];
  /** CUDA or ROCm indexes in force, with where they were set. */
  gpuIndexes: { url: string; kind: IndexKind; loc: Loc }[];
  cpuIndex: boolean;
  torchBefore: boolean;
  noDeps: boolean;
  noIndex: boolean;
  condaCpuOnly: boolean;
  /** conda's `pytorch` channel (its default torch build is CUDA) or `nvidia` channel in use. */
  condaGpuChannel: boolean;
}

export interface Download {
  loc: Loc;
  what: string;
  stage: number;
}

export interface CopyInfo {
  instr: Instr;
  stage: number;
  sources: string[];
  dest: string;
  fromContext: boolean;
}

export interface Facts {
  df: ParsedDockerfile;
  file: string;
  final: number;
  reachable: number[];
  chain: number[];
  runs: RunInfo[];
  copies: CopyInfo[];
  installs: PyInstall[];
  downloads: Download[];
  problems: Problem[];
  /**
   * Exceptions of our own analysis of one instruction (a bug): the other instructions are still
   * analysed; the lint hands these back as bugs, never as a finding about the user's file.
   */
  bugs: { where: string; error: unknown }[];
  /** Absolute build context. */
  context: string;
}

export interface AnalyzeInput {
  /** Finding path of the Dockerfile, relative to the root. */
  file: string;
  root: string;
  context: string;
  target?: string;
  /** The build args the build passes (compose `build.args`): they win over the ARG defaults. */
  buildArgs?: Readonly<Record<string, string>>;
}

export interface CopyMapEntry {
  dest: string;
  sources: string[];
  destIsDir: boolean;
}

export interface StageState {
  env: Map<string, VarValue>;
  /** ENV variables set from a build arg (`ENV USE_CUDA_DOCKER=${USE_CUDA}`): the build arg's name. */
  argOf: Map<string, string>;
  workdir: string;
  copies: CopyMapEntry[];
  torch: boolean;
  /** `git lfs install` ran: a later `git clone` fetches the large files. */
  gitLfs: boolean;
  /** Index URLs set by a pip.conf or `pip config set`. */
  confIndexes: { url: string; loc: Loc }[];
  confNoCache: boolean;
}

/** The stage walker's state and helpers, as collect, python-installs and scripts use them. */
export interface Walk {
  readonly df: ParsedDockerfile;
  readonly input: AnalyzeInput;
  readonly files: ContextFiles;
  readonly facts: Facts;
  state: StageState;
  stage: number;
  /** The untaken branch the commands being collected sit in. */
  branch: string | undefined;
  dfLoc(ins: Instr, offset?: number): Loc;
  problem(rule: Problem['rule'], severity: Problem['severity'], loc: Loc, message: string): void;
  /** The context path (relative, POSIX) a container path came from, via the COPYs so far. */
  toContext(containerPath: string, extra?: CopyMapEntry[]): string | undefined;
  rel(abs: string): string;
  readFollowed(contextRel: string, refLoc: Loc, what: string): { text: string; file: string } | undefined;
  readIfThere(contextRel: string, refLoc: Loc, what: string): { text: string; file: string } | undefined;
  download(loc: Loc, what: string): void;
}
