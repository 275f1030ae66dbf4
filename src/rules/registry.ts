/**
 * The one list of rules: every id a finding can carry (lint rules, input problems, image-content
 * findings, deploy fit), with its default severity, description and docs page. SARIF, the config check of
 * rule ids, the docs tests and the lint itself read it; nothing else lists rules. Data only: no
 * imports, so any layer may read it.
 */

export type RuleKind = 'lint' | 'input' | 'image' | 'deploy';

export interface RuleMeta {
  id: string;
  kind: RuleKind;
  severity: 'error' | 'warning' | 'note';
  description: string;
  /** Path of the rule's page, relative to the repository root. */
  docs: string;
}

const rule = (id: string, kind: RuleKind, severity: RuleMeta['severity'], description: string): RuleMeta => ({
  id,
  kind,
  severity,
  description,
  docs: `docs/rules/${id}.md`,
});

/** In the order their findings are most useful to read. */
export const RULE_REGISTRY: readonly RuleMeta[] = [
  rule(
    'cuda-torch',
    'lint',
    'error',
    'CUDA PyTorch, CUDA wheels or a CUDA base image in a service not declared GPU',
  ),
  rule(
    'torch-via-dependency',
    'lint',
    'error',
    'A package that depends on torch pulls the CUDA build of torch',
  ),
  rule('model-download-in-build', 'lint', 'error', 'A RUN downloads model weights during the build'),
  rule(
    'toolchain-in-final-stage',
    'lint',
    'warning',
    'Compilers, build tools or -dev headers in the final image',
  ),
  rule(
    'package-cache-in-layer',
    'lint',
    'warning',
    'A package manager leaves its cache (or apt lists) in a layer',
  ),
  rule('cache-busting-copy', 'lint', 'warning', 'The whole context is copied before the dependency install'),
  rule('dockerignore', 'lint', 'warning', '.dockerignore missing, or not excluding what should not be sent'),
  rule('remote-add', 'lint', 'warning', '`ADD` of a remote URL'),
  rule(
    'full-python-base',
    'lint',
    'warning',
    'The final image is built on the full `python` image instead of `-slim`',
  ),
  rule('secret-in-build-arg', 'lint', 'error', 'A secret passed as ARG or ENV'),
  rule('unpinned-base', 'lint', 'warning', 'A base image without a tag, or tagged `latest`'),
  rule(
    'invalid-dockerfile',
    'input',
    'error',
    'The Dockerfile cannot be parsed or will not build (binary, empty, unterminated heredoc or quote, unknown target)',
  ),
  rule(
    'unreadable-file',
    'input',
    'warning',
    'A file the Dockerfile uses (requirements, constraints, environment, scripts) is missing, outside the repository, not UTF-8, or includes itself',
  ),
  rule(
    'cuda-libraries-in-image',
    'image',
    'warning',
    'CUDA or cuDNN libraries in an image of a service not declared GPU',
  ),
  rule('model-weights-in-image', 'image', 'warning', 'Model weights baked into a layer'),
  rule('compiler-in-image', 'image', 'warning', 'A compiler (gcc, cc1) in the final image'),
  rule(
    'package-cache-in-image',
    'image',
    'warning',
    'A package manager cache (pip, apt lists, npm, conda) left in a layer',
  ),
  rule('git-folder-in-image', 'image', 'note', 'A .git folder copied into the image'),
  rule(
    'deleted-in-later-layer',
    'image',
    'warning',
    'A layer adds files that a later layer deletes or overwrites: the image still ships them',
  ),
  rule(
    'no-memory-limit',
    'deploy',
    'warning',
    'A compose service without a memory limit, when a host memory is set',
  ),
  rule('memory-conflict', 'deploy', 'error', 'mem_limit (or mem_reservation) and deploy.resources differ'),
  rule('invalid-memory', 'deploy', 'error', 'A compose memory value that is not a size'),
  rule(
    'no-healthcheck',
    'deploy',
    'warning',
    'A long-running service without a healthcheck in compose, its Dockerfile or its image',
  ),
  rule(
    'healthcheck-tool-missing',
    'deploy',
    'warning',
    'A compose healthcheck runs a program the image does not have',
  ),
];

const BY_ID = new Map(RULE_REGISTRY.map((r) => [r.id, r]));

/** A rule's metadata; an unknown id is a bug (a rule module without a registry entry). */
export function ruleMeta(id: string): RuleMeta {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`rule \`${id}\` is not in the registry (src/rules/registry.ts)`);
  return r;
}

export function ruleIds(kind?: RuleKind): string[] {
  return RULE_REGISTRY.filter((r) => !kind || r.kind === kind).map((r) => r.id);
}
