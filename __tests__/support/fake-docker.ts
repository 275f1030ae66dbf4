/**
 * A docker CLI for unit tests of `image-budget check` without an engine: a small Node script that
 * answers as Docker 20.10 (no buildx, no Compose v2, the classic image store) would. `build` writes
 * an image id (`sha256:<service>`) and exits 0, or prints `failLines` lines and exits 1 for the
 * services in `fail`; `image inspect` gives each image the size in `sizes`. Use with `--docker
 * <path> --cache none --no-analyze`.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface FakeDockerOptions {
  /** Bytes per service (default 1MB). */
  sizes?: Record<string, number>;
  /** Services whose build fails. */
  fail?: string[];
  /** Log lines a failing build prints before it fails. */
  failLines?: number;
}

export function fakeDocker(options: FakeDockerOptions = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ib-fake-docker-'));
  const file = path.join(dir, 'docker');
  const config = JSON.stringify({
    sizes: options.sizes ?? {},
    fail: options.fail ?? [],
    failLines: options.failLines ?? 30,
  });
  writeFileSync(
    file,
    `#!/usr/bin/env node
const fs = require('node:fs');
const config = ${config};
const args = process.argv.slice(2);
const line = args.join(' ');
const after = (flag) => args[args.indexOf(flag) + 1];
if (line === 'version --format {{json .}}') {
  console.log(JSON.stringify({ Client: { Version: '20.10.24' }, Server: { Version: '20.10.24', Os: 'linux', Arch: 'amd64' } }));
} else if (line === 'info --format {{json .DriverStatus}}') {
  console.log('[["Backing Filesystem","extfs"]]');
} else if (args[0] === 'build') {
  const service = after('--tag').replace(/^image-budget\\//, '').replace(/:.*$/, '');
  if (config.fail.includes(service)) {
    for (let i = 1; i <= config.failLines; i++) console.error('#7 0.' + i + ' ' + service + ' log line ' + i);
    console.error('ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 7');
    process.exit(1);
  }
  console.error('#1 [internal] load build definition from Dockerfile');
  console.error('#1 DONE 0.0s');
  fs.writeFileSync(after('--iidfile'), 'sha256:' + service);
} else if (args[0] === 'image' && args[1] === 'inspect') {
  const service = args[args.length - 1].replace(/^sha256:/, '');
  const size = config.sizes[service] ?? 1000000;
  console.log(JSON.stringify({ Id: 'sha256:' + service, Size: size, RootFS: { Layers: ['sha256:' + service + '-layer'] } }));
} else {
  console.error('fake docker: unknown command: ' + line);
  process.exit(1);
}
`,
  );
  chmodSync(file, 0o755);
  return file;
}
