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
import type { Rule } from './types.js';
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
