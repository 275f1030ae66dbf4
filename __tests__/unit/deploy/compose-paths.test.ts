/**
 * Deploy fit reads the same fields whichever path made the compose model: our parser, or Compose
 * v2's `docker compose config --format json` (byte values printed as bytes, a string healthcheck
 * test as `CMD-SHELL`, depends_on as a mapping of conditions). The JSON below is written in that
 * shape by hand; the corpus parity test (compose/parity.test.ts) compares captured outputs.
 */
import { describe, expect, test } from 'vitest';
import { fromComposeJson, type ComposeProject } from '../../../src/compose/model.js';
import { planServices } from '../../../src/plan/services.js';
import { memoryOf } from '../../../src/deploy/memory.js';
import { composeHealthcheck, isOneShot } from '../../../src/deploy/healthcheck.js';
import { plansOf } from './spec.js';

const COMPOSE = `services:
  api:
    image: api
    mem_limit: 240m
    mem_reservation: 128m
    scale: 2
    healthcheck:
      test: curl -f http://localhost/health
    depends_on: [migrate]
  db:
    image: postgres:16-alpine
    deploy:
      replicas: 3
      resources:
        limits: { memory: 1.5g }
        reservations: { memory: 512M }
    healthcheck:
      disable: true
  migrate:
    image: api
    restart: "no"
  web:
    image: web
    depends_on:
      migrate: { condition: service_completed_successfully }
    healthcheck:
      test: ["CMD", "wget", "-q", "http://localhost/"]
      interval: 30s
`;

const COMPOSE_JSON = {
  name: 'x',
  services: {
    api: {
      image: 'api',
      mem_limit: '251658240',
      mem_reservation: '134217728',
      scale: 2,
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost/health'] },
      depends_on: { migrate: { condition: 'service_started', required: true } },
    },
    db: {
      image: 'postgres:16-alpine',
      deploy: {
        replicas: 3,
        resources: { limits: { memory: '1610612736' }, reservations: { memory: '536870912' } },
      },
      healthcheck: { disable: true },
    },
    migrate: { image: 'api', restart: 'no' },
    web: {
      image: 'web',
      depends_on: { migrate: { condition: 'service_completed_successfully', required: true } },
      healthcheck: { test: ['CMD', 'wget', '-q', 'http://localhost/'], interval: '30s' },
    },
  },
};

describe('deploy fields from either compose path', () => {
  const ours = plansOf(COMPOSE);
  const project: ComposeProject = {
    model: fromComposeJson(COMPOSE_JSON),
    files: ['/repo/compose.yaml'],
    origins: {},
    serviceErrors: {},
    errors: [],
    warnings: [],
    source: 'compose-v2',
  };
  const theirs = planServices({ root: '/repo', project, profiles: [] }).services;

  test.each(['api', 'db', 'migrate', 'web'])('%s: the same fields', (name) => {
    const a = ours.find((s) => s.name === name)!.deploy!;
    const b = theirs.find((s) => s.name === name)!.deploy!;
    expect(a.fields).toEqual(b.fields);
    const { line: _a, ...memoryA } = memoryOf(a).memory;
    const { line: _b, ...memoryB } = memoryOf(b).memory;
    expect(memoryA).toEqual(memoryB);
    expect(memoryOf(a).findings).toEqual(memoryOf(b).findings);
    expect(composeHealthcheck(a)?.test).toEqual(composeHealthcheck(b)?.test);
  });

  test('what deploy fit reads of them', () => {
    const spec = (name: string) => ours.find((s) => s.name === name)!.deploy!;
    const all = ours.map((s) => s.deploy!);
    expect(memoryOf(spec('api')).memory).toMatchObject({
      limit: 240 * 1024 ** 2,
      reservation: 128 * 1024 ** 2,
      replicas: 2,
    });
    expect(memoryOf(spec('db')).memory).toMatchObject({ limit: 1.5 * 1024 ** 3, replicas: 3 });
    expect(composeHealthcheck(spec('db'))?.disabled).toBe(true);
    expect(isOneShot('migrate', spec('migrate'), all)).toBe(true);
    expect(isOneShot('api', spec('api'), all)).toBe(false);
  });

  test("the lines are our parser's: each key of the compose file", () => {
    const api = ours.find((s) => s.name === 'api')!.deploy!;
    expect(api).toMatchObject({ file: 'compose.yaml', line: 2 });
    expect(api.lines).toMatchObject({ mem_limit: 4, 'healthcheck.test': 8 });
    const db = ours.find((s) => s.name === 'db')!.deploy!;
    expect(db.lines['deploy.resources.limits.memory']).toBe(15);
  });
});
