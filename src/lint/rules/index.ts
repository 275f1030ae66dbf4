import { cacheBustingCopy } from './cache-busting-copy.js';
import { cudaTorch } from './cuda-torch.js';
import { dockerignore } from './dockerignore.js';
import { fullPythonBase } from './full-python-base.js';
import { modelDownloadInBuild } from './model-download-in-build.js';
import { packageCacheInLayer } from './package-cache-in-layer.js';
import { remoteAdd } from './remote-add.js';
import { secretInBuildArg } from './secret-in-build-arg.js';
import { toolchainInFinalStage } from './toolchain-in-final-stage.js';
import { torchViaDependency } from './torch-via-dependency.js';
import { type Rule, type RuleMeta, meta } from './types.js';
import { unpinnedBase } from './unpinned-base.js';

/** The rules, in the order their findings are most useful to read. */
export const RULE_IMPLS: readonly Rule[] = [
  cudaTorch,
  torchViaDependency,
  modelDownloadInBuild,
  toolchainInFinalStage,
  packageCacheInLayer,
  cacheBustingCopy,
  dockerignore,
  remoteAdd,
  fullPythonBase,
  secretInBuildArg,
  unpinnedBase,
];

/** Findings about the input itself rather than about image size. */
export const INPUT_RULES: readonly RuleMeta[] = [
  meta(
    'invalid-dockerfile',
    'error',
    'The Dockerfile cannot be parsed or will not build (binary, empty, unterminated heredoc or quote, unknown target)',
  ),
  meta(
    'unreadable-file',
    'warning',
    'A file the Dockerfile uses (requirements, constraints, environment) is missing, not UTF-8, or includes itself',
  ),
  meta('invalid-config', 'error', 'The lint configuration is invalid (a custom pattern with a bad regex)'),
];
