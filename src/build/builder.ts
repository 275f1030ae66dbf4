/**
 * Which BuildKit front end the docker CLI offers: `docker buildx build` when the buildx plugin is
 * there (GitHub's runners have it), else `DOCKER_BUILDKIT=1 docker build` with the daemon's built-in
 * BuildKit, which only clients before Docker 23 can drive without buildx. Detected, never assumed.
 */
import type { Docker } from '../docker/exec.js';
import { UserError } from '../util/errors.js';

export interface Builder {
  kind: 'buildx' | 'docker';
  /** Client version (docker) or buildx version. */
  version: string;
  serverVersion: string;
  /** The buildx driver (`docker`, `docker-container`, ...), when buildx is used. */
  driver?: string;
  /** The named buildx builder to use, when one was given or created. */
  name?: string;
}

export interface DockerVersions {
  client?: string;
  server?: string;
  buildx?: string;
  serverError?: string;
}

/** Pure decision from what the CLI reported. */
export function chooseBuilder(versions: DockerVersions, binary: string): Builder {
  if (!versions.server) {
    const reason = versions.serverError ? `: ${versions.serverError}` : '';
    throw new UserError(
      `no Docker engine answers${reason}. Start one (e.g. \`bash script/engine start\`) or set DOCKER_HOST`,
    );
  }
  if (versions.buildx) return { kind: 'buildx', version: versions.buildx, serverVersion: versions.server };
  const major = Number((versions.client ?? '').split('.')[0]);
  if (Number.isFinite(major) && major > 0 && major < 23) {
    return { kind: 'docker', version: versions.client ?? '', serverVersion: versions.server };
  }
  throw new UserError(
    `the docker CLI \`${binary}\` (${versions.client ?? 'unknown version'}) has no buildx plugin, and since ` +
      'Docker 23 `docker build` needs buildx to use BuildKit: install docker-buildx, or point the ' +
      '`docker` input (--docker) at a client that can build with BuildKit',
  );
}

export async function detectBuilder(docker: Docker): Promise<Builder> {
  const [buildx, version] = await Promise.all([
    docker.run(['buildx', 'version']),
    docker.run(['version', '--format', '{{json .}}']),
  ]);
  const versions: DockerVersions = {};
  if (buildx.code === 0) versions.buildx = buildx.stdout.trim().split(/\s+/)[1] ?? buildx.stdout.trim();
  try {
    const json = JSON.parse(version.stdout) as {
      Client?: { Version?: string };
      Server?: { Version?: string } | null;
    };
    if (json.Client?.Version) versions.client = json.Client.Version;
    if (json.Server?.Version) versions.server = json.Server.Version;
  } catch {
    // no JSON: the server part failed and the client printed an error instead
  }
  if (!versions.server) versions.serverError = firstLine(version.stderr);
  const builder = chooseBuilder(versions, docker.binary);
  if (builder.kind === 'buildx') {
    const inspect = await docker.run(['buildx', 'inspect']);
    const driver = /^Driver:\s+(\S+)/m.exec(inspect.stdout)?.[1];
    if (driver) builder.driver = driver;
  }
  return builder;
}

function firstLine(text: string): string | undefined {
  return (
    text
      .trim()
      .split('\n')[0]
      ?.replace(/^(ERROR|Error response from daemon):\s*/i, '') || undefined
  );
}
