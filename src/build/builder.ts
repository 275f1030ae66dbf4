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
  /**
   * Where the engine keeps images: `classic` (graph drivers such as overlay2: `docker image
   * inspect` Size is the uncompressed size) or `containerd` (the containerd image store, Docker
   * Desktop 4.34+ and fresh Docker Engine 29 installs: Size is the compressed content, and the
   * `docker` buildx driver can export every cache backend). Absent: classic.
   */
  imageStore?: ImageStore;
  /** The engine's platform (`linux/amd64`), from `docker version`. */
  platform?: string;
}

export type ImageStore = 'classic' | 'containerd';

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

/**
 * What `docker buildx version` and `docker version --format '{{json .}}'` printed, as versions
 * (pure: tested against the captured output of both engines in __fixtures__/cli/).
 */
export function parseVersions(
  buildx: { code: number; stdout: string },
  version: { stdout: string; stderr: string },
): DockerVersions & { platform?: string } {
  const versions: DockerVersions & { platform?: string } = {};
  if (buildx.code === 0) versions.buildx = buildx.stdout.trim().split(/\s+/)[1] ?? buildx.stdout.trim();
  try {
    const json = JSON.parse(version.stdout) as {
      Client?: { Version?: string };
      Server?: { Version?: string; Os?: string; Arch?: string } | null;
    };
    if (json.Client?.Version) versions.client = json.Client.Version;
    if (json.Server?.Version) versions.server = json.Server.Version;
    if (json.Server?.Os && json.Server.Arch) versions.platform = `${json.Server.Os}/${json.Server.Arch}`;
  } catch {
    // no JSON: the server part failed and the client printed an error instead
  }
  if (!versions.server) versions.serverError = firstLine(version.stderr);
  return versions;
}

/**
 * The image store from `docker info --format '{{json .DriverStatus}}'`: the containerd store
 * reports `["driver-type", "io.containerd.snapshotter.v1"]`; graph drivers report their own pairs.
 */
export function imageStoreOf(driverStatusJson: string): ImageStore {
  try {
    const pairs = JSON.parse(driverStatusJson) as unknown;
    if (
      Array.isArray(pairs) &&
      pairs.some(
        (pair) =>
          Array.isArray(pair) &&
          pair[0] === 'driver-type' &&
          String(pair[1]).startsWith('io.containerd.snapshotter'),
      )
    ) {
      return 'containerd';
    }
  } catch {
    // not JSON (an old engine, or an error): a graph driver
  }
  return 'classic';
}

const detected = new WeakMap<Docker, Promise<Builder>>();

/**
 * `detectBuilder`, asked once per `Docker` until `forgetBuilder`: a run starts it while the compose
 * files are read and the Dockerfiles linted, so the builds do not wait for its four docker calls,
 * and forgets it at its end (the next run may find another builder).
 */
export function detectBuilderOnce(docker: Docker): Promise<Builder> {
  let builder = detected.get(docker);
  if (!builder) {
    builder = detectBuilder(docker);
    builder.catch(() => undefined); // whoever awaits it handles the failure
    detected.set(docker, builder);
  }
  return builder;
}

export function forgetBuilder(docker: Docker): void {
  detected.delete(docker);
}

export async function detectBuilder(docker: Docker): Promise<Builder> {
  const [buildx, version, info] = await Promise.all([
    docker.run(['buildx', 'version']),
    docker.run(['version', '--format', '{{json .}}']),
    docker.run(['info', '--format', '{{json .DriverStatus}}']),
  ]);
  const { platform, ...versions } = parseVersions(buildx, version);
  const builder = chooseBuilder(versions, docker.binary);
  builder.imageStore = info.code === 0 ? imageStoreOf(info.stdout.trim()) : 'classic';
  if (platform) builder.platform = platform;
  if (builder.kind === 'buildx') {
    const inspect = await docker.run(['buildx', 'inspect']);
    const driver = driverOf(inspect.stdout);
    if (driver) builder.driver = driver;
  }
  return builder;
}

/** The `Driver:` line of `docker buildx inspect`. */
export function driverOf(inspectOutput: string): string | undefined {
  return /^Driver:\s+(\S+)/m.exec(inspectOutput)?.[1];
}

function firstLine(text: string): string | undefined {
  return (
    text
      .trim()
      .split('\n')[0]
      ?.replace(/^(ERROR|Error response from daemon):\s*/i, '') || undefined
  );
}
