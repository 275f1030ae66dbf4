import { describe } from 'vitest';
import { MB, contentSpec } from './helpers.js';

describe('git-folder-in-image', () => {
  contentSpec(
    'git-folder-in-image',
    [
      ['app/.git/HEAD', 10, '/app/.git'],
      ['.git/config', 10, '/.git'],
      ['srv/app/.git/objects/ab', 1, '/srv/app/.git'],
      ['app/.git/lfs/objects/model.safetensors', 500 * MB, '/app/.git'],
    ],
    [
      ['app/.gitignore', 10, 'a file next to .git, not in it'],
      ['app/.github/workflows/ci.yml', 10, 'not .git'],
      ['app/x.git/HEAD', 10, 'a folder ending in .git'],
      ['app/.git', 10, 'a file named .git (a worktree link)'],
    ],
  );
});
