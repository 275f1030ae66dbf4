#!/usr/bin/env node
// Bundles the Action (dist/index.js) and the CLI (dist/cli/index.js) with @vercel/ncc, in parallel.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const bundles = [
  { entry: 'src/index.ts', out: 'dist' },
  { entry: 'src/cli/index.ts', out: 'dist/cli' },
];

rmSync('dist', { recursive: true, force: true });
const runs = bundles.map(
  ({ entry, out }) =>
    new Promise((resolve, reject) => {
      const child = spawn('npx', ['ncc', 'build', entry, '--out', out, '--license', 'licenses.txt', '--quiet', '--transpile-only', '--target', 'es2022'], {
        stdio: 'inherit',
      });
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc ${entry} exited ${code}`))));
    }),
);
await Promise.all(runs);
