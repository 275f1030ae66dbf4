import { expect, test } from 'vitest';
import { actionsCache } from '../../../src/store/actions-cache.js';

test.each([
  [{}, false],
  [{ ACTIONS_CACHE_URL: 'http://127.0.0.1:1/' }, true],
  [{ ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' }, true],
  [{ ACTIONS_CACHE_URL: '' }, false],
])('available() with %j is %s', (env, available) => {
  expect(actionsCache(env).available()).toBe(available);
});
