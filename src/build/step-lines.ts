/**
 * Maps a BuildKit step (`[base 2/3] RUN pip install ...`) back to its Dockerfile line, so the slowest
 * steps and failures can point at the line to change. Matching is by stage and instruction text with
 * white space folded; a step that cannot be matched keeps no line.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { splitStepName } from './progress.js';

export interface Stage {
  /** `AS` name, or BuildKit's `stage-<index>` for unnamed stages. */
  names: string[];
  instructions: { text: string; keyword: string; line: number }[];
}

export type StepLineFinder = (stepName: string) => number | undefined;

/** A Dockerfile's stages, read once and shared by the build (step lines) and the analysis (steps). */
export type DockerfileStages = Stage[];

export function stepLineFinder(stages: DockerfileStages): StepLineFinder {
  return (stepName) => {
    const { stage, instruction } = splitStepName(stepName);
    const candidates = stage ? stages.filter((s) => s.names.includes(stage)) : stages.slice(-1);
    const wanted = fold(instruction);
    const keyword = wanted.split(' ')[0]?.toUpperCase();
    for (const candidate of candidates) {
      if (keyword === 'FROM') return candidate.instructions[0]?.line;
      const hit = candidate.instructions.find((i) => i.text === wanted);
      if (hit) return hit.line;
    }
    return undefined;
  };
}

/**
 * The instructions of the stage an image is built from (`target`, else the last), FROM first, as
 * `{ line, instruction }`: what image analysis needs to point each layer at its Dockerfile line.
 */
export function stageSteps(
  stages: DockerfileStages,
  target?: string,
): { line: number; instruction: string }[] {
  const stage =
    (target ? stages.find((s) => s.names.includes(target)) : undefined) ?? stages[stages.length - 1];
  return (stage?.instructions ?? []).map((i) => ({ line: i.line, instruction: i.text }));
}

/** The stages of a Dockerfile's text; text that does not parse has none (steps then keep no line). */
export function parseStages(text: string): DockerfileStages {
  const stages: Stage[] = [];
  let parsed;
  try {
    parsed = DockerfileParser.parse(text);
  } catch {
    return stages;
  }
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const asIndex = args.findIndex((a) => a.toUpperCase() === 'AS');
      const names = [`stage-${stages.length}`];
      const alias = asIndex >= 0 ? args[asIndex + 1] : undefined;
      if (alias) names.push(alias);
      stages.push({ names, instructions: [] });
    }
    const stage = stages[stages.length - 1];
    stage?.instructions.push({
      keyword,
      line,
      text: fold(`${keyword} ${instruction.getArgumentsContent() ?? ''}`),
    });
  }
  return stages;
}

/** Folds white space runs, the way BuildKit prints an instruction on one line. */
function fold(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
