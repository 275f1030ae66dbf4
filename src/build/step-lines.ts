/**
 * Maps a BuildKit step (`[base 2/3] RUN pip install ...`) back to its Dockerfile line in the run's
 * one Dockerfile model, so the slowest steps and failures can point at the line to change. Matching
 * is by stage and instruction text with white space folded; a step that cannot be matched keeps no
 * line.
 */
import { stageNames, type Instr, type ParsedDockerfile } from '../dockerfile/index.js';
import { splitStepName } from './progress.js';

export type StepLineFinder = (stepName: string) => number | undefined;

/** The line finder of a Dockerfile's model; without one (unreadable), no step has a line. */
export function stepLineFinder(dockerfile: ParsedDockerfile | undefined): StepLineFinder {
  const stages = dockerfile?.stages ?? [];
  return (stepName) => {
    const { stage, instruction } = splitStepName(stepName);
    const name = stage?.toLowerCase();
    const candidates = name ? stages.filter((s) => stageNames(s).includes(name)) : stages.slice(-1);
    const wanted = fold(instruction);
    const keyword = wanted.split(' ')[0]?.toUpperCase();
    for (const candidate of candidates) {
      if (keyword === 'FROM') return candidate.from.line;
      const hit = candidate.instrs.find((i) => sameStep(i, wanted));
      if (hit) return hit.line;
    }
    return undefined;
  };
}

/**
 * BuildKit prints an instruction on one line, its keyword upper case; a RUN with a heredoc gets a
 * summary of the heredoc after it: `RUN <<EOF (echo one...)`.
 */
function sameStep(instr: Instr, wanted: string): boolean {
  const text = fold(`${instr.keyword} ${instr.text}`);
  if (text === wanted) return true;
  return instr.heredocs.length > 0 && wanted.startsWith(`${text} (`);
}

/** Folds white space runs, the way BuildKit prints an instruction on one line. */
function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
