/**
 * The platforms a buildx builder can build, from `docker buildx inspect` (its `Platforms:` lines),
 * so that a compose `platforms:` entry it cannot build is one line on its service instead of a
 * failed build deep in BuildKit's log.
 */
import type { Docker } from '../docker/exec.js';
import type { Builder } from './builder.js';

/** `Platforms: linux/amd64*, linux/arm64` lines -> [linux/amd64, linux/arm64] (pure). */
export function parseBuilderPlatforms(inspect: string): string[] {
  const platforms = new Set<string>();
  for (const line of inspect.split(/\r?\n/)) {
    const match = /^\s*Platforms:\s*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    for (const entry of match[1].split(',')) {
      const platform = entry.trim().replace(/\*$/, '');
      if (platform) platforms.add(platform);
    }
  }
  return [...platforms];
}

/** The builder's platforms; empty when they cannot be known (then nothing is refused). */
export async function builderPlatforms(docker: Docker, builder: Builder): Promise<string[]> {
  if (builder.kind !== 'buildx') return [];
  const result = await docker.run(['buildx', 'inspect', ...(builder.name ? [builder.name] : [])]);
  return result.code === 0 ? parseBuilderPlatforms(result.stdout) : [];
}
