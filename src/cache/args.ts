/**
 * The `--cache-from`/`--cache-to` arguments of one service's build for each backend: pure
 * functions, so every backend's command line is table-tested without an engine. Scopes, keys,
 * registry refs and the inline "previous image" tag are all derived here, per service.
 */

/** A backend after `auto` has been resolved. */
export type ResolvedBackend = 'gha' | 'local' | 'registry' | 'inline' | 'none';

export interface CacheArgsInput {
  backend: ResolvedBackend;
  service: string;
  /** The image tag of this build. */
  tag: string;
  scopePrefix: string;
  /** `registry`: the cache image reference given by the user. */
  registryRef?: string;
  /** `local`: the folder to import from (absent when there is nothing usable yet) and the new one to export to. */
  local?: { from?: string; to: string };
  /** `inline`: the image to import cache from (absent when there is none to use). */
  inlineFrom?: string;
}

export function cacheArgs(input: CacheArgsInput): string[] {
  switch (input.backend) {
    case 'gha': {
      const scope = `scope=${scopeOf(input.scopePrefix, input.service)}`;
      return [
        '--cache-from',
        `type=gha,${scope}`,
        '--cache-to',
        `type=gha,${scope},mode=max,ignore-error=true`,
      ];
    }
    case 'local': {
      if (!input.local) return [];
      const from = input.local.from ? ['--cache-from', `type=local,src=${input.local.from}`] : [];
      return [...from, '--cache-to', `type=local,dest=${input.local.to},mode=max,ignore-error=true`];
    }
    case 'registry': {
      if (!input.registryRef) return [];
      const ref = `ref=${registryRefFor(input.registryRef, input.scopePrefix, input.service)}`;
      return [
        '--cache-from',
        `type=registry,${ref}`,
        '--cache-to',
        `type=registry,${ref},mode=max,ignore-error=true`,
      ];
    }
    case 'inline': {
      const from = input.inlineFrom ? ['--cache-from', input.inlineFrom] : [];
      return ['--build-arg', 'BUILDKIT_INLINE_CACHE=1', ...from];
    }
    case 'none':
      return [];
  }
}

/** Characters that are safe in a scope, a cache key and a tag: anything else becomes `-`. */
export function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9_.-]/g, '-');
}

/** `<prefix>-<service>`: one scope per service, so services never overwrite each other's cache. */
export function scopeOf(prefix: string, service: string): string {
  return `${safeName(prefix)}-${safeName(service)}`;
}

/**
 * The per-service cache image: `{service}` in the ref is replaced; else a ref with a tag gets
 * `-<service>` appended to its tag, and a ref without one gets the tag `<prefix>-<service>`.
 */
export function registryRefFor(ref: string, prefix: string, service: string): string {
  const serviceTag = safeName(service).toLowerCase();
  if (ref.includes('{service}')) return ref.replaceAll('{service}', serviceTag);
  const { repository, tag } = splitRef(ref);
  if (tag) return `${repository}:${`${tag}-${serviceTag}`.slice(0, 128)}`;
  return `${repository}:${scopeOf(prefix, service).toLowerCase().slice(0, 128)}`;
}

/**
 * The stable tag that keeps a service's previous image for the `inline` backend: the image's own
 * repository with the tag `<prefix>-<service>-cache`, so a new commit (a new `{sha}` tag) still
 * finds the last build.
 */
export function previousTag(tag: string, prefix: string, service: string): string {
  const { repository } = splitRef(tag);
  const suffix = `${scopeOf(prefix, service)}-cache`.toLowerCase();
  return `${repository}:${suffix.slice(-128)}`;
}

/** True for refs that name a registry host (`ghcr.io/...`, `localhost:5000/...`): BuildKit can pull them. */
export function isRemoteRef(ref: string): boolean {
  const slash = ref.indexOf('/');
  if (slash < 0) return false;
  const first = ref.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost';
}

/** `repo[:tag][@digest]` → repository and tag (a `:` after the last `/` is a tag, before it a port). */
export function splitRef(ref: string): { repository: string; tag?: string } {
  const withoutDigest = ref.split('@')[0] ?? ref;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > lastSlash)
    return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  return { repository: withoutDigest };
}
