#!/usr/bin/env node
// Bundles the Action and the CLI into one dist/index.js: tsc emits ESM to build/, then @vercel/ncc
// bundles it (ncc resolves ESM-only packages such as @actions/core 3 correctly
// from .js entries of a "type": "module" package, not from .ts entries). Type errors are
// `npm run typecheck`'s job; this only bundles.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit' });
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}`)),
    );
  });
}

rmSync('build', { recursive: true, force: true });
rmSync('dist', { recursive: true, force: true });
await run('npx', ['tsc', '-p', 'tsconfig.build.json', '--noEmitOnError', 'false']).catch(() => undefined);
await run('npx', ['ncc', 'build', 'build/index.js', '--out', 'dist', '--license', 'licenses.txt', '--quiet']);
rmSync('build', { recursive: true, force: true });
