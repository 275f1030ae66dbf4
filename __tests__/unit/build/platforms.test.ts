import { expect, test } from 'vitest';
import { parseBuilderPlatforms } from '../../../src/build/platforms.js';

test.each([
  [
    'the docker driver',
    'Name:          default\nDriver:        docker\n\nNodes:\nName:      default\nStatus:    running\nPlatforms: linux/amd64, linux/amd64/v2, linux/386\n',
    ['linux/amd64', 'linux/amd64/v2', 'linux/386'],
  ],
  [
    'two nodes, a platform set by hand (*)',
    'Nodes:\nName: a\nPlatforms: linux/amd64*, linux/arm64\nName: b\nPlatforms: linux/arm64, linux/riscv64\n',
    ['linux/amd64', 'linux/arm64', 'linux/riscv64'],
  ],
  ['no platforms line', 'Name: x\nError: not running\n', []],
])('%s', (_name, text, platforms) => {
  expect(parseBuilderPlatforms(text)).toEqual(platforms);
});
