/**
 * Buildx builders for the cache: inspect the one a user named, and create (or reuse) the
 * `docker-container` builder that can export cache when the current one (the `docker` driver)
 * cannot. Every docker call goes through the one exec wrapper.
 */
import { driverOf, type Builder } from '../build/builder.js';
import type { Docker } from '../docker/exec.js';
import type { NamedBuilder } from './plan.js';

export async function inspectBuilder(docker: Docker, name: string): Promise<NamedBuilder> {
  const result = await docker.run(['buildx', 'inspect', name]);
  if (result.code !== 0) return { name, exists: false };
  const driver = driverOf(result.stdout);
  return driver ? { name, exists: true, driver } : { name, exists: true };
}

/**
 * The docker-container builder `name`, created when missing and bootstrapped (its BuildKit
 * container started) so the first build does not pay for it. Throws a one-line Error on failure.
 */
export async function ensureContainerBuilder(docker: Docker, base: Builder, name: string): Promise<Builder> {
  const existing = await inspectBuilder(docker, name);
  if (!existing.exists) {
    const created = await docker.run(['buildx', 'create', '--name', name, '--driver', 'docker-container']);
    if (created.code !== 0)
      throw new Error(
        `\`docker buildx create --name ${name} --driver docker-container\` failed: ${lastLine(created.stderr)}`,
      );
  } else if (existing.driver === 'docker') {
    throw new Error(
      `a buildx builder named "${name}" exists with the docker driver, which cannot export cache`,
    );
  }
  const boot = await docker.run(['buildx', 'inspect', '--bootstrap', name]);
  if (boot.code !== 0)
    throw new Error(`\`docker buildx inspect --bootstrap ${name}\` failed: ${lastLine(boot.stderr)}`);
  return { ...base, kind: 'buildx', driver: driverOf(boot.stdout) ?? 'docker-container', name };
}

function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return (lines[lines.length - 1] ?? 'no output').replace(/^(ERROR|error):\s*/, '');
}
