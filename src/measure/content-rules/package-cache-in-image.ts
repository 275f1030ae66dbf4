/** A package manager's cache left in a layer (pip, uv, poetry, Hugging Face, apt, apk, npm, yarn, cargo, go). */
import { MIB, type ContentRuleModule } from './types.js';

const CACHE_ROOTS: readonly RegExp[] = [
  /^(root|home\/[^/]+)\/\.cache\/(pip|uv|pypoetry|huggingface)\//,
  /^var\/lib\/apt\/lists\//,
  /^var\/cache\/apt\//,
  /^var\/cache\/apk\//,
  /^(root|home\/[^/]+)\/\.npm\/_cacache\//,
  /^usr\/local\/share\/\.cache\/yarn\//,
  /^(root|home\/[^/]+)\/\.cache\/yarn\//,
  /^(root|home\/[^/]+)\/\.cargo\/registry\//,
  /^(root|home\/[^/]+)\/go\/pkg\/mod\/cache\//,
];

export const packageCacheInImage: ContentRuleModule = {
  id: 'package-cache-in-image',
  what: 'a package cache',
  noun: 'package cache',
  fix: 'Remove the cache in the same RUN (`rm -rf /var/lib/apt/lists/*`, `pip install --no-cache-dir`) or use a cache mount.',
  minBytes: 1 * MIB,
  confirms: ['package-cache-in-layer'],
  anywhereInFinalStage: false,
  classify(path, base) {
    for (const root of CACHE_ROOTS) {
      const match = root.exec(path);
      if (match) {
        // apt's lock file is there while apt runs, cache or not.
        if (base === 'lock') return undefined;
        return `/${match[0].replace(/\/$/, '')}`;
      }
    }
    return undefined;
  },
};
