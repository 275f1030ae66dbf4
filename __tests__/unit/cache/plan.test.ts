import { describe, expect, test } from 'vitest';
import type { Builder } from '../../../src/build/builder.js';
import { ghaEnvProblem, planCache, startingBuilder, type NamedBuilder } from '../../../src/cache/plan.js';

const legacy: Builder = { kind: 'docker', version: '20.10.24', serverVersion: '20.10.24' };
const buildxDocker: Builder = {
  kind: 'buildx',
  version: 'v0.19.3',
  serverVersion: '27.5.1',
  driver: 'docker',
};
const buildxContainer: Builder = { ...buildxDocker, driver: 'docker-container' };
/** buildx's docker driver on the containerd image store (Docker 26 here, Desktop 4.34+, Engine 29). */
const buildxContainerd: Builder = { ...buildxDocker, imageStore: 'containerd' };
const gh = { GITHUB_ACTIONS: 'true', ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache/' };
const ghV2 = {
  GITHUB_ACTIONS: 'true',
  ACTIONS_RUNTIME_TOKEN: 't',
  ACTIONS_CACHE_SERVICE_V2: 'true',
  ACTIONS_RESULTS_URL: 'https://r/',
};
const ghNoToken = { GITHUB_ACTIONS: 'true', ACTIONS_CACHE_URL: 'https://cache/' };
const laptop = { HOME: '/home/me' };
const remote: NamedBuilder = { name: 'k8s', exists: true, driver: 'kubernetes' };
const missing: NamedBuilder = { name: 'gone', exists: false };
const namedDocker: NamedBuilder = { name: 'default', exists: true, driver: 'docker' };

type Row = [
  number,
  string,
  Builder,
  Record<string, string>,
  { named?: NamedBuilder; registryRef?: string },
  string, // backend
  string, // builder decision
  RegExp[], // warnings, in order
];

describe('planCache: backend and builder decision', () => {
  test.each<Row>([
    // auto
    [1, 'auto', buildxDocker, gh, {}, 'gha', 'create', []],
    [2, 'auto', buildxContainer, gh, {}, 'gha', 'detected', []],
    [3, 'auto', buildxDocker, ghV2, {}, 'gha', 'create', []],
    [4, 'auto', legacy, gh, {}, 'inline', 'detected', []],
    [5, 'auto', buildxDocker, laptop, {}, 'inline', 'detected', []],
    [6, 'auto', buildxContainer, laptop, {}, 'local', 'detected', []],
    [7, 'auto', buildxDocker, ghNoToken, {}, 'inline', 'detected', []],
    [8, 'auto', buildxDocker, gh, { named: remote }, 'gha', 'named', []],
    [9, 'auto', buildxDocker, gh, { named: namedDocker }, 'inline', 'named', []],
    // gha
    [10, 'gha', buildxDocker, gh, {}, 'gha', 'create', []],
    [11, 'gha', buildxContainer, gh, {}, 'gha', 'detected', []],
    [12, 'gha', legacy, gh, {}, 'inline', 'detected', [/needs docker buildx/]],
    [
      13,
      'gha',
      buildxContainer,
      laptop,
      {},
      'inline',
      'detected',
      [/ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL not set/],
    ],
    [
      14,
      'gha',
      buildxContainer,
      ghNoToken,
      {},
      'inline',
      'detected',
      [/on GitHub Actions, ACTIONS_RUNTIME_TOKEN not set.*ghaction-github-runtime/],
    ],
    [15, 'gha', buildxDocker, gh, { named: remote }, 'gha', 'named', []],
    [16, 'gha', buildxDocker, gh, { named: missing }, 'gha', 'create', [/builder "gone" not found/]],
    [
      17,
      'gha',
      buildxDocker,
      gh,
      { named: namedDocker },
      'inline',
      'named',
      [/cannot be exported by builder "default" \(docker driver\)/],
    ],
    [
      18,
      'gha',
      legacy,
      gh,
      { named: missing },
      'inline',
      'detected',
      [/builder "gone" ignored: .*no buildx/, /needs docker buildx/],
    ],
    // local
    [19, 'local', buildxDocker, laptop, {}, 'local', 'create', []],
    [20, 'local', buildxContainer, laptop, {}, 'local', 'detected', []],
    [21, 'local', legacy, laptop, {}, 'inline', 'detected', [/"local" needs docker buildx.*using inline/]],
    // registry
    [22, 'registry', buildxContainer, laptop, { registryRef: 'ghcr.io/a/c' }, 'registry', 'detected', []],
    [23, 'registry', buildxDocker, laptop, { registryRef: 'ghcr.io/a/c' }, 'registry', 'create', []],
    [
      24,
      'registry',
      buildxContainer,
      laptop,
      {},
      'none',
      'detected',
      [/needs a cache image reference.*without cache/],
    ],
    [
      25,
      'registry',
      legacy,
      laptop,
      { registryRef: 'ghcr.io/a/c' },
      'inline',
      'detected',
      [/needs docker buildx/],
    ],
    // inline, none, unknown
    [26, 'inline', legacy, laptop, {}, 'inline', 'detected', []],
    [27, 'inline', buildxDocker, gh, {}, 'inline', 'detected', []],
    [28, 'none', buildxDocker, gh, {}, 'none', 'detected', []],
    [29, 'none', buildxDocker, gh, { named: remote }, 'none', 'named', []],
    [
      30,
      'redis',
      legacy,
      laptop,
      {},
      'inline',
      'detected',
      [
        /unknown cache backend "redis" \(expected one of auto, gha, local, registry, inline, none\): using auto/,
      ],
    ],
    [31, 'GHA', buildxContainer, gh, {}, 'gha', 'detected', []],
    // the docker driver on the containerd image store exports every backend itself: no builder made
    [32, 'auto', buildxContainerd, gh, {}, 'gha', 'detected', []],
    [33, 'auto', buildxContainerd, laptop, {}, 'local', 'detected', []],
    [34, 'local', buildxContainerd, laptop, {}, 'local', 'detected', []],
    [
      35,
      'registry',
      buildxContainerd,
      laptop,
      { registryRef: '127.0.0.1:5055/c' },
      'registry',
      'detected',
      [],
    ],
    [36, 'gha', buildxContainerd, gh, {}, 'gha', 'detected', []],
    [
      38,
      'inline',
      buildxContainerd,
      laptop,
      {},
      'local',
      'detected',
      [/"inline" is not imported from local images on the containerd image store.*using local/],
    ],
    [39, 'none', buildxContainerd, laptop, {}, 'none', 'detected', []],
    // ...but a named docker-driver builder may be another engine's: not assumed to export
    [
      37,
      'local',
      buildxContainerd,
      laptop,
      { named: namedDocker },
      'inline',
      'named',
      [/cannot be exported by builder "default" \(docker driver\)/],
    ],
  ])(
    '%i: %s with %o %o %o -> %s, %s builder',
    (_n, requested, builder, env, extra, backend, decision, warnings) => {
      const plan = planCache({ requested, builder, env, ...extra });
      expect(plan.backend).toBe(backend);
      expect(plan.builder).toBe(decision);
      expect(plan.warnings).toHaveLength(warnings.length);
      warnings.forEach((pattern, i) => expect(plan.warnings[i]).toMatch(pattern));
      for (const line of plan.warnings) expect(line).not.toContain('\n');
    },
  );

  test.each([
    [1, 'auto', buildxDocker, gh, /GitHub Actions cache service available/],
    [2, 'auto', legacy, gh, /no buildx plugin/],
    [3, 'auto', buildxDocker, laptop, /not on GitHub Actions.*docker driver cannot export/],
    [4, 'auto', buildxContainer, laptop, /docker-container builder exports to a local folder/],
  ])('%i: auto says why', (_n, requested, builder, env, reason) => {
    expect(planCache({ requested, builder, env }).reason).toMatch(reason);
  });
});

describe('startingBuilder: what the builder to start from can do for a cache', () => {
  test.each<[number, Builder, NamedBuilder | undefined, string, boolean, boolean, RegExp | undefined]>([
    // builder found, builder named, source, can export, can be replaced, warning
    [1, legacy, undefined, 'detected', false, false, undefined],
    [2, legacy, remote, 'detected', false, false, /builder "k8s" ignored/],
    [3, buildxDocker, undefined, 'detected', false, true, undefined],
    [4, buildxContainer, undefined, 'detected', true, true, undefined],
    [5, buildxContainerd, undefined, 'detected', true, true, undefined],
    [6, buildxDocker, remote, 'named', true, false, undefined],
    [7, buildxDocker, missing, 'detected', false, true, /builder "gone" not found/],
    // a named docker-driver builder may be another engine's, even on the containerd store
    [8, buildxContainerd, namedDocker, 'named', false, false, undefined],
  ])('%i: %o named %o -> %s', (_n, builder, named, source, canExport, canCreate, warning) => {
    const start = startingBuilder(builder, named);
    expect(start).toMatchObject({ source, canExport, canCreate });
    if (warning) expect(start.warning).toMatch(warning);
    else expect(start.warning).toBeUndefined();
  });
});

describe('ghaEnvProblem', () => {
  test.each([
    [1, gh, undefined],
    [2, ghV2, undefined],
    [3, { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://r/' }, undefined],
    [4, { ...ghV2, ACTIONS_RESULTS_URL: '' }, /ACTIONS_RESULTS_URL \(cache service v2\) not set/],
    [
      5,
      {},
      /^not on GitHub Actions: ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL not set$/,
    ],
  ])('%i: %o', (_n, env, expected) => {
    const problem = ghaEnvProblem(env);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
