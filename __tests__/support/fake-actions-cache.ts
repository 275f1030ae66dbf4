/**
 * A fake GitHub Actions cache service (the v1 REST protocol @actions/cache speaks when
 * `ACTIONS_CACHE_URL` is set): a real HTTP server on 127.0.0.1 that reserves, takes chunked uploads,
 * commits, and answers lookups by exact key or by prefix (newest first, same `version`, as the real
 * service does), serving archives from memory. Point a run at it with `env()`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCacheEntry {
  id: number;
  key: string;
  version: string;
  /** The archive as uploaded (tar, compressed as @actions/cache chose). */
  archive: Buffer;
  committed: boolean;
  /** Order of commit: the newest has the highest. */
  order: number;
}

export class FakeActionsCache {
  readonly entries: FakeCacheEntry[] = [];
  /** Every request, `METHOD path`. */
  readonly requests: string[] = [];
  private readonly chunks = new Map<number, { start: number; data: Buffer }[]>();
  private nextId = 1;
  private commits = 0;
  /** While set, every request answers 503 (a cache outage). */
  down = false;

  constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /**
   * The environment that points @actions/cache, and BuildKit's `type=gha` cache, at this service.
   * BuildKit reads the cache scopes from the runtime token's claims (unverified), so the token is
   * shaped like the runner's JWT.
   */
  env(): Record<string, string> {
    return { ACTIONS_CACHE_URL: `${this.url}/`, ACTIONS_RUNTIME_TOKEN: runtimeToken() };
  }

  /** Committed keys, oldest first. */
  keys(): string[] {
    return this.entries
      .filter((e) => e.committed)
      .sort((a, b) => a.order - b.order)
      .map((e) => e.key);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.url);
    const route = url.pathname.replace(/^\/_apis\/artifactcache\//, '');
    this.requests.push(`${request.method ?? ''} ${route}`);
    const json = (status: number, value?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(value === undefined ? '' : JSON.stringify(value));
    };
    if (this.down) return json(503, { message: 'cache service unavailable' });

    if (request.method === 'GET' && route === 'cache') {
      // @actions/cache encodes the joined keys and its HTTP client encodes the query once more.
      const keys = decodeURIComponent(url.searchParams.get('keys') ?? '')
        .split(',')
        .filter(Boolean);
      const version = url.searchParams.get('version') ?? '';
      const hit = this.lookup(keys, version);
      if (!hit) return json(204);
      return json(200, {
        cacheKey: hit.key,
        scope: 'refs/heads/main',
        archiveLocation: `${this.url}/archives/${hit.id}`,
      });
    }
    if (request.method === 'GET' && url.pathname.startsWith('/archives/')) {
      const entry = this.entries.find((e) => e.id === Number(url.pathname.split('/').pop()));
      if (!entry?.committed) return json(404, { message: 'no such archive' });
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(entry.archive.length),
      });
      response.end(entry.archive);
      return;
    }
    if (request.method === 'POST' && route === 'caches') {
      const { key, version } = JSON.parse(body.toString('utf8')) as { key: string; version: string };
      if (this.entries.some((e) => e.key === key && e.version === version))
        return json(409, { message: `Cache already exists: ${key}` });
      const entry: FakeCacheEntry = {
        id: this.nextId++,
        key,
        version,
        archive: Buffer.alloc(0),
        committed: false,
        order: 0,
      };
      this.entries.push(entry);
      this.chunks.set(entry.id, []);
      return json(201, { cacheId: entry.id });
    }
    const id = /^caches\/(\d+)$/.exec(route)?.[1];
    const entry = id ? this.entries.find((e) => e.id === Number(id)) : undefined;
    if (!entry) return json(404, { message: 'no such cache' });
    if (request.method === 'PATCH') {
      const start = Number(/bytes (\d+)-/.exec(request.headers['content-range'] ?? '')?.[1] ?? 0);
      this.chunks.get(entry.id)?.push({ start, data: body });
      return json(204);
    }
    if (request.method === 'POST') {
      const parts = (this.chunks.get(entry.id) ?? []).sort((a, b) => a.start - b.start);
      entry.archive = Buffer.concat(parts.map((p) => p.data));
      const { size } = JSON.parse(body.toString('utf8')) as { size: number };
      if (size !== entry.archive.length) return json(400, { message: 'size does not match the upload' });
      entry.committed = true;
      entry.order = ++this.commits;
      return json(204);
    }
    return json(405, { message: 'method not allowed' });
  }

  /** The first key matched exactly, else the newest entry whose key starts with a later key. */
  private lookup(keys: string[], version: string): FakeCacheEntry | undefined {
    const usable = this.entries.filter((e) => e.committed && e.version === version);
    const [primary, ...prefixes] = keys;
    const exact = usable.find((e) => e.key === primary);
    if (exact) return exact;
    for (const prefix of [primary ?? '', ...prefixes]) {
      const matches = usable.filter((e) => e.key.startsWith(prefix)).sort((a, b) => b.order - a.order);
      if (matches[0]) return matches[0];
    }
    return undefined;
  }
}

/** An unsigned JWT whose `ac` claim grants read and write on the default branch's scope. */
function runtimeToken(): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const scopes = JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]);
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ac: scopes, iat: 1700000000, nbf: 1700000000, exp: 4102444800 })}.c2lnbmF0dXJl`;
}

export async function startFakeActionsCache(): Promise<FakeActionsCache> {
  const ready: { fake?: FakeActionsCache } = {};
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => ready.fake?.handle(request, Buffer.concat(parts), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ready.fake = new FakeActionsCache(server, `http://127.0.0.1:${port}`);
  return ready.fake;
}
