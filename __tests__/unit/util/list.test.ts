import { expect, test } from 'vitest';
import { splitList } from '../../../src/util/list.js';

test.each([
  ['api,worker', ['api', 'worker']],
  ['api worker', ['api', 'worker']],
  ['api,\n  worker\n', ['api', 'worker']],
  [' , ,', []],
  ['', []],
])('splitList(%j) → %j', (text, items) => {
  expect(splitList(text)).toEqual(items);
});
