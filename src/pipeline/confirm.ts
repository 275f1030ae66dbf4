/**
 * The image confirms the lint (issue 12, item 5): an image finding about the same thing as a lint
 * finding is merged into it, so each problem is reported once. The lint's finding stands (its rule,
 * severity, line and fix) with the image's bytes attached as `imageEvidence`; an image finding with
 * no lint partner stays, on its step's line, `source: 'image'`. Pure.
 *
 * The same thing: the same service (one call per service), the same Dockerfile, a rule of the pair,
 * and the lint finding's step (the Dockerfile instruction it belongs to, even from a script or a
 * requirements file that instruction pulls in) is the image finding's layer's line. For CUDA and
 * compilers, an image finding whose layer matched no step is also the same thing as a lint finding
 * of its pair anywhere in the final stage (the image is the final stage). The pairs are the content
 * rules' own (`confirms`, `anywhereInFinalStage` in measure/content-rules/).
 */
import { contentRuleOf } from '../measure/content-rules/index.js';
import type { Finding, ImageEvidence, Severity } from '../report/model.js';

export interface ConfirmContext {
  /** The service's Dockerfile, as the findings name it (the image findings' `file`). */
  dockerfile?: string;
  /**
   * The Dockerfile line of the instruction each lint finding belongs to (the lint's anchor): for a
   * finding in a script or a requirements file, the RUN that pulls it in. A finding absent here is
   * placed by its own line, when it is in the Dockerfile.
   */
  steps?: ReadonlyMap<Finding, number>;
  /**
   * The first lines of the final stage's instructions (the stage the image is), where the
   * Dockerfile was read: what lets a line-less image finding match a lint finding there.
   */
  finalStage?: readonly number[];
  /**
   * The line ranges of the Dockerfile's instructions, to place a Dockerfile finding with no step
   * (a word on the third line of a RUN belongs to the RUN's first line).
   */
  instructions?: readonly { line: number; endLine: number }[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/**
 * The service's findings with every image finding that a lint finding predicted merged into that
 * lint finding (the first of its pair on the step, most severe first); the order of the others kept.
 */
export function confirmByImage(findings: readonly Finding[], context: ConfirmContext): Finding[] {
  const { dockerfile } = context;
  if (dockerfile === undefined) return [...findings];
  const stepOf = (finding: Finding): number | undefined => {
    const step = context.steps?.get(finding);
    if (step !== undefined) return step;
    if (finding.file !== dockerfile || finding.line === undefined) return undefined;
    const line = finding.line;
    const around = context.instructions?.find((instr) => instr.line <= line && line <= instr.endLine);
    return around ? around.line : line;
  };
  // A lint finding belongs to this Dockerfile when it sits in it, or when one of its steps pulls it in.
  const lint = findings
    .map((finding, index) => ({ finding, index, step: stepOf(finding) }))
    .filter(
      ({ finding, step }) =>
        finding.source === 'lint' &&
        step !== undefined &&
        (finding.file === dockerfile || context.steps?.has(finding)),
    )
    .sort(
      (a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index,
    );
  const evidence = new Map<number, ImageEvidence>();
  const merged = new Set<number>();
  const finalStage = new Set(context.finalStage ?? []);
  findings.forEach((image, index) => {
    const rule = contentRuleOf(image.rule);
    if (image.source !== 'image' || !rule || !image.imageEvidence || image.file !== dockerfile) return;
    const partner = lint.find(
      ({ finding, step }) =>
        rule.confirms.includes(finding.rule) &&
        (image.line !== undefined
          ? step === image.line
          : rule.anywhereInFinalStage && step !== undefined && finalStage.has(step)),
    );
    if (!partner) return;
    evidence.set(partner.index, addEvidence(evidence.get(partner.index), image.imageEvidence));
    merged.add(index);
  });
  return findings.flatMap((finding, index) => {
    if (merged.has(index)) return [];
    const confirmed = evidence.get(index);
    return confirmed ? [{ ...finding, imageEvidence: confirmed }] : [finding];
  });
}

/** Several image findings confirming one lint finding: their bytes and files added, the first's (largest) place. */
function addEvidence(before: ImageEvidence | undefined, next: ImageEvidence): ImageEvidence {
  return before
    ? { ...before, bytes: before.bytes + next.bytes, files: before.files + next.files }
    : { ...next };
}
