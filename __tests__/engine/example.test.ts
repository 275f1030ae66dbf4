/**
 * The example platform builds for real on the engine started by the global setup, with plain
 * `docker build` and BuildKit: the good backend stays small, the bloated audio service does not.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const platform = path.join(root, 'examples', 'platform');
const MB = 1024 * 1024;

function docker(args: string[]): Promise<{ stdout: string; stderr: string }> {
  const binary = process.env.IMAGE_BUDGET_DOCKER ?? '/usr/bin/docker';
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { env: { ...process.env, DOCKER_BUILDKIT: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${binary} ${args.join(' ')} failed:\n${stderr.slice(-4000)}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

async function build(service: string, extra: string[] = []): Promise<{ tag: string; log: string }> {
  const tag = `image-budget-test/${service}:example`;
  const network = process.env.IMAGE_BUDGET_NETWORK ?? 'host';
  const { stderr } = await docker([
    'build',
    `--network=${network}`,
    '--progress=plain',
    '-t',
    tag,
    ...extra,
    path.join(platform, service),
  ]);
  return { tag, log: stderr };
}

async function imageSize(tag: string): Promise<number> {
  const { stdout } = await docker(['image', 'inspect', '--format', '{{.Size}}', tag]);
  return Number(stdout.trim());
}

describe('examples/platform on the real engine', () => {
  it('gets the engine environment from the global setup', () => {
    expect(process.env.DOCKER_HOST).toMatch(/^unix:\/\//);
    expect(process.env.IMAGE_BUDGET_DOCKER).toBe('/usr/bin/docker');
    expect(process.env.IMAGE_BUDGET_NETWORK).toBe('host');
    expect(process.env.IMAGE_BUDGET_ENGINE_DATA_ROOT).toBeTruthy();
  });

  it('builds the backend with BuildKit into a small image', async () => {
    const { tag, log } = await build('backend');
    expect(log).toMatch(/^#\d+ \[internal\] load build definition/m); // BuildKit's plain progress
    const size = await imageSize(tag);
    expect(size).toBeGreaterThan(5 * MB);
    expect(size).toBeLessThan(30 * MB);
  });

  it('builds the bloated audio service into a big image', async () => {
    const { tag } = await build('audio', ['--build-arg', 'TTS_MODEL=coqui/XTTS-v2']);
    const size = await imageSize(tag);
    expect(size).toBeGreaterThan(150 * MB);
    expect(size).toBeLessThan(2048 * MB);
  });
});
