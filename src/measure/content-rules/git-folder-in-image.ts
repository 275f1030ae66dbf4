/** A `.git` folder copied into the image: the repository's whole history ships with it. */
import type { ContentRuleModule } from './types.js';

export const gitFolderInImage: ContentRuleModule = {
  id: 'git-folder-in-image',
  what: 'a .git folder',
  noun: 'git history',
  fix: 'Add `.git` to .dockerignore.',
  minBytes: 0,
  confirms: [],
  anywhereInFinalStage: false,
  classify(path) {
    const gitAt = path.startsWith('.git/') ? 0 : path.indexOf('/.git/');
    if (gitAt < 0) return undefined;
    return `/${path.slice(0, gitAt === 0 ? 4 : gitAt + 5)}`;
  },
};
