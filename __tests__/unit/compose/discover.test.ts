import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { discoverServices, findComposeFile } from '../../../src/compose/discover.js';

let root: string;
const write = (file: string, text: string): void => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'ib-discover-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('findComposeFile', () => {
  test('prefers compose.yaml, as compose does', () => {
    write('docker-compose.yml', 'services: {}');
    write('compose.yaml', 'services: {}');
    expect(findComposeFile(root)).toBe(path.join(root, 'compose.yaml'));
  });

  test('none is undefined; a given path that is missing is a one-line error', () => {
    expect(findComposeFile(root)).toBeUndefined();
    expect(() => findComposeFile(root, 'deploy/compose.yml')).toThrow('compose file not found');
  });

  test('a given folder is searched', () => {
    write('deploy/docker-compose.yaml', 'services: {}');
    expect(findComposeFile(root, 'deploy')).toBe(path.join(root, 'deploy/docker-compose.yaml'));
  });
});

describe('discoverServices', () => {
  test('resolves contexts against the compose folder and Dockerfiles against the context', () => {
    write(
      'deploy/docker-compose.yml',
      `services:
  api:
    build: ../services/api
  worker:
    build:
      context: ../services/worker
      dockerfile: docker/Dockerfile.prod
      args: { PY: "\${PY_VERSION}" }
  cache:
    image: redis:7-alpine
`,
    );
    write('deploy/.env', 'PY_VERSION="3.11"\n');
    write('services/api/Dockerfile', 'FROM scratch\n');
    write('services/worker/docker/Dockerfile.prod', 'FROM scratch\n');
    const services = discoverServices(root, path.join(root, 'deploy/docker-compose.yml'), {});
    // `deploy` (the fields src/deploy/ reads) is tested in __tests__/unit/deploy/.
    expect(services.map(({ deploy: _deploy, ...s }) => s)).toEqual([
      {
        name: 'api',
        build: {
          context: path.join(root, 'services/api'),
          dockerfile: path.join(root, 'services/api/Dockerfile'),
          args: {},
        },
      },
      {
        name: 'worker',
        build: {
          context: path.join(root, 'services/worker'),
          dockerfile: path.join(root, 'services/worker/docker/Dockerfile.prod'),
          args: { PY: '3.11' },
        },
      },
      { name: 'cache', image: 'redis:7-alpine' },
    ]);
  });

  test('the environment wins over .env', () => {
    write('docker-compose.yml', 'services:\n  a:\n    build: ./${DIR}\n');
    write('.env', 'DIR=from-dotenv\n');
    write('from-env/Dockerfile', 'FROM scratch\n');
    const [a] = discoverServices(root, path.join(root, 'docker-compose.yml'), { DIR: 'from-env' });
    expect(a?.build?.context).toBe(path.join(root, 'from-env'));
  });

  test('missing context and missing Dockerfile are errors on their service, naming file and line', () => {
    write(
      'docker-compose.yml',
      `services:
  nocontext:
    build: ./nope
  nodockerfile:
    build:
      context: ./app
      dockerfile: Dockerfile.missing
  remote:
    build: https://github.com/example/repo.git
  ok:
    build: ./app
`,
    );
    write('app/Dockerfile', 'FROM scratch\n');
    const services = discoverServices(root, path.join(root, 'docker-compose.yml'), {});
    expect(services.map((s) => s.error)).toEqual([
      'docker-compose.yml:2: service "nocontext": build context nope does not exist',
      'docker-compose.yml:4: service "nodockerfile": Dockerfile app/Dockerfile.missing not found',
      'docker-compose.yml:8: service "remote": remote build context https://github.com/example/repo.git is not supported; use a local folder',
      undefined,
    ]);
  });
});
