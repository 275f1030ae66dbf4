/**
 * The knowledge base of model downloaders, the git part (kept as data, like downloaders.ts): the
 * git commands that fetch model weights or data sets (a clone from a model hub, Git LFS, a clone
 * into a model folder), and the git options read to find a clone's repository and folder. Every
 * entry names the page that documents it; docs/rules/model-downloaders.md#git lists them.
 */

/** Hosts whose git repositories are model repositories. */
export const MODEL_GIT_HOSTS = /^(?:https?:\/\/)?(?:[^@/]+@)?(?:www\.)?(?:huggingface\.co|hf\.co)\//i;
export const MODEL_GIT_HOSTS_DOCS =
  'https://huggingface.co/docs/hub/repositories-getting-started#cloning-repositories';

const LFS_DOCS = 'https://github.com/git-lfs/git-lfs/blob/main/docs/man';

export interface GitDownloader {
  /** The git sub-command, after git's own options (`['lfs', 'pull']`, `['clone']`). */
  sub: readonly string[];
  /**
   * When it downloads: `always`; `model-host`: the repository is on a model hub; `lfs`: Git LFS is
   * set up (`git lfs install` ran before it in the stage, and `GIT_LFS_SKIP_SMUDGE` is not set),
   * so the clone fetches the large files; `model-folder`: the clone goes into a model folder.
   */
  when: 'always' | 'model-host' | 'lfs' | 'model-folder';
  what: string;
  docs: string;
}

/** git commands that fetch model weights or data sets. */
export const GIT_DOWNLOADERS: readonly GitDownloader[] = [
  {
    sub: ['lfs', 'pull'],
    when: 'always',
    what: '`git lfs pull` fetches large files (model weights)',
    docs: `${LFS_DOCS}/git-lfs-pull.adoc`,
  },
  {
    sub: ['lfs', 'fetch'],
    when: 'always',
    what: '`git lfs fetch` fetches large files (model weights)',
    docs: `${LFS_DOCS}/git-lfs-fetch.adoc`,
  },
  {
    sub: ['lfs', 'clone'],
    when: 'always',
    what: '`git lfs clone` fetches a repository with its large files (model weights)',
    docs: `${LFS_DOCS}/git-lfs-clone.adoc`,
  },
  {
    sub: ['clone'],
    when: 'model-host',
    what: '`git clone` of a model repository',
    docs: MODEL_GIT_HOSTS_DOCS,
  },
  {
    sub: ['clone'],
    when: 'lfs',
    what: "`git clone` after `git lfs install` fetches the repository's large files (model weights or data)",
    docs: `${LFS_DOCS}/git-lfs-install.adoc`,
  },
  {
    sub: ['clone'],
    when: 'model-folder',
    what: '`git clone` into a model folder fetches a model repository',
    docs: MODEL_GIT_HOSTS_DOCS,
  },
];

/**
 * `git lfs install` sets up the smudge filter that downloads the large files on every later clone
 * or checkout (in the global git config, so for the later RUNs too); with `--skip-smudge` it does
 * not, nor does `GIT_LFS_SKIP_SMUDGE` set in the environment.
 */
export const GIT_LFS_SETUP = {
  sub: ['lfs', 'install'],
  skip: '--skip-smudge',
  skipEnv: 'GIT_LFS_SKIP_SMUDGE',
  docs: `${LFS_DOCS}/git-lfs-install.adoc`,
  skipEnvDocs: `${LFS_DOCS}/git-lfs-smudge.adoc`,
} as const;

/** A folder that holds model weights or data (a word of the path): a clone into it is a model download. */
export const MODEL_FOLDER =
  /(?:^|\/)(?:models?|weights|checkpoints?|ckpts?|pretrained(?:[_-]models?)?|model[_-](?:weights|files|repo|cache))(?:\/|$)/i;

/** git's own options that take a separate value (`git -C dir clone`): https://git-scm.com/docs/git#_options */
export const GIT_VALUE_OPTIONS: readonly string[] = [
  '-C',
  '-c',
  '--git-dir',
  '--work-tree',
  '--namespace',
  '--config-env',
];

/** `git clone` options that take a separate value: https://git-scm.com/docs/git-clone#_options */
export const GIT_CLONE_VALUE_OPTIONS: readonly string[] = [
  '-b',
  '--branch',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--depth',
  '--reference',
  '--reference-if-able',
  '--separate-git-dir',
  '--filter',
  '-j',
  '--jobs',
  '-u',
  '--upload-pack',
  '--template',
  '--shallow-since',
  '--shallow-exclude',
  '--server-option',
  '--bundle-uri',
  '--ref-format',
];
