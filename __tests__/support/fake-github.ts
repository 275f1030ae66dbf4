/**
 * A fake GitHub REST API for tests: a real HTTP server on 127.0.0.1 (ephemeral port) serving issue
 * comments (list with Link-header pagination, create, update), pull requests and `GET /user`, recording
 * every request, and able to answer the next matching requests with an injected status (403, 500,
 * ...), headers (rate limits), a raw body (invalid JSON), or no answer at all (a hang). Point the code under test
 * at it with `GITHUB_API_URL=<fake.url>`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  authorization?: string;
}

interface Injection {
  method: string;
  path: RegExp;
  status: number;
  remaining: number;
  message: string;
  /** Sent as the body instead of `{ message }` (e.g. invalid JSON with a JSON content type). */
  raw?: string;
  headers?: Record<string, string>;
  /** Never answer (the connection stays open until the server stops). */
  hang?: boolean;
}

export interface InjectOptions {
  times?: number;
  message?: string;
  raw?: string;
  headers?: Record<string, string>;
  hang?: boolean;
}

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  /** Comments by `owner/repo#number`. */
  private readonly comments = new Map<string, FakeComment[]>();
  private readonly injections: Injection[] = [];
  private nextId = 1000;
  private server?: Server;
  url = '';
  /** The login that creates comments. */
  login = 'github-actions[bot]';
  /**
   * The login `GET /user` answers for the token (a PAT's user). Undefined: 403, as GitHub answers
   * for the workflow's GITHUB_TOKEN.
   */
  tokenLogin: string | undefined = undefined;
  /** Pull requests served by GET /repos/:owner/:repo/pulls/:number, by `owner/repo#number`. */
  readonly pulls = new Map<string, { number: number; head: { sha: string } }>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Answer the next `times` requests matching `method` and `path` with `status`. */
  inject(
    method: string,
    path: RegExp,
    status: number,
    times: number | InjectOptions = 1,
    message = 'injected failure',
  ): void {
    const o: InjectOptions = typeof times === 'number' ? { times, message } : times;
    this.injections.push({
      method: method.toUpperCase(),
      path,
      status,
      remaining: o.times ?? 1,
      message: o.message ?? message,
      ...(o.raw !== undefined ? { raw: o.raw } : {}),
      ...(o.headers ? { headers: o.headers } : {}),
      ...(o.hang ? { hang: true } : {}),
    });
  }

  /** Add comments to an issue (ids are assigned). */
  seed(owner: string, repo: string, issue: number, bodies: string[], login = 'someone'): FakeComment[] {
    return bodies.map((body) => this.add(owner, repo, issue, body, login));
  }

  /** The comments of an issue, oldest first. */
  list(owner: string, repo: string, issue: number): FakeComment[] {
    return [...(this.comments.get(`${owner}/${repo}#${issue}`) ?? [])];
  }

  /** Requests made with `method` whose path matches. */
  calls(method: string, path?: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && (!path || path.test(r.path)));
  }

  reset(): void {
    this.requests.length = 0;
    this.comments.clear();
    this.injections.length = 0;
    this.pulls.clear();
    this.login = 'github-actions[bot]';
    this.tokenLogin = undefined;
  }

  private add(owner: string, repo: string, issue: number, body: string, login: string): FakeComment {
    const key = `${owner}/${repo}#${issue}`;
    const now = new Date().toISOString();
    const id = this.nextId++;
    const comment: FakeComment = {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.test/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
    if (!this.comments.has(key)) this.comments.set(key, []);
    this.comments.get(key)!.push(comment);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      req.on('end', () => resolve(data));
    });
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
    };
    if (raw) recorded.body = JSON.parse(raw) as unknown;
    if (req.headers.authorization) recorded.authorization = req.headers.authorization;
    this.requests.push(recorded);

    const injection = this.injections.find(
      (i) => i.remaining > 0 && i.method === method && i.path.test(url.pathname),
    );
    if (injection) {
      injection.remaining--;
      if (injection.hang) return;
      if (injection.raw !== undefined) {
        res.writeHead(injection.status, {
          'content-type': 'application/json; charset=utf-8',
          ...injection.headers,
        });
        res.end(injection.raw);
        return;
      }
      return send(
        res,
        injection.status,
        { message: injection.message, documentation_url: 'https://docs.github.com/rest' },
        injection.headers,
      );
    }
    if (url.pathname === '/user' && method === 'GET') {
      return this.tokenLogin
        ? send(res, 200, { login: this.tokenLogin, type: 'User' })
        : send(res, 403, { message: 'Resource not accessible by integration' });
    }

    let m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m) {
      const [, owner = '', repo = '', num = ''] = m;
      if (method === 'GET') {
        const all = this.list(owner, repo, Number(num));
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const headers: Record<string, string> = {};
        const link = (p: number, rel: string) => {
          const u = new URL(url.pathname, this.url);
          u.searchParams.set('per_page', String(perPage));
          u.searchParams.set('page', String(p));
          return `<${u.toString()}>; rel="${rel}"`;
        };
        const links: string[] = [];
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        if (links.length) headers.link = links.join(', ');
        return send(res, 200, all.slice((page - 1) * perPage, page * perPage), headers);
      }
      if (method === 'POST') {
        const body = (recorded.body as { body?: unknown } | undefined)?.body;
        if (typeof body !== 'string') return send(res, 422, { message: 'body is missing' });
        if (body.length > 65_536)
          return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
        return send(res, 201, this.add(owner, repo, Number(num), body, this.login));
      }
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(url.pathname);
    if (m && method === 'GET') {
      const pull = this.pulls.get(`${m[1]}/${m[2]}#${m[3]}`);
      return pull ? send(res, 200, pull) : send(res, 404, { message: 'Not Found' });
    }
    m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && method === 'PATCH') {
      const id = Number(m[3]);
      const comment = [...this.comments.values()].flat().find((c) => c.id === id);
      if (!comment) return send(res, 404, { message: 'Not Found' });
      const body = (recorded.body as { body?: unknown } | undefined)?.body;
      if (typeof body !== 'string') return send(res, 422, { message: 'body is missing' });
      if (body.length > 65_536)
        return send(res, 422, { message: 'Body is too long (maximum is 65536 characters)' });
      comment.body = body;
      comment.updated_at = new Date().toISOString();
      return send(res, 200, comment);
    }
    return send(res, 404, { message: 'Not Found', path: url.pathname });
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** Start a fake GitHub API. */
export async function startFakeGitHub(): Promise<FakeGitHub> {
  return new FakeGitHub().start();
}
