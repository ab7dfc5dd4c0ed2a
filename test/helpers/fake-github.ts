/**
 * A local fake of GitHub's issue-comments REST endpoints, on 127.0.0.1, for the action tests
 * (GITHUB_API_URL points at it). It records every call and serves what octokit expects:
 *
 *   GET   /repos/:owner/:repo/issues/:number/comments?per_page&page   list, with Link headers
 *   POST  /repos/:owner/:repo/issues/:number/comments                  create   → 201
 *   PATCH /repos/:owner/:repo/issues/comments/:id                      update   → 200
 *
 * `failWith` makes one kind of call answer an error status, as GitHub does for a token that may
 * not write (403 "Resource not accessible by integration").
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: { body?: string } | undefined;
  authorization: string | undefined;
}

export type CallKind = 'list' | 'create' | 'update';

export class FakeGitHub {
  readonly calls: RecordedCall[] = [];
  readonly comments: FakeComment[] = [];
  failWith: Partial<Record<CallKind, number>> = {};
  private nextId = 1000;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeGitHub> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeGitHub(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => void fake.handle(req, res));
    return fake;
  }

  /** Adds comments (oldest first) to a PR, as other people or bots would have left them. */
  seed(issue: number, bodies: readonly string[]): FakeComment[] {
    return bodies.map((body) => this.add(issue, body));
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  callsOf(kind: CallKind): RecordedCall[] {
    return this.calls.filter((c) => kindOf(c.method, c.path) === kind);
  }

  reset(): void {
    this.calls.length = 0;
    this.comments.length = 0;
    this.failWith = {};
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private add(issue: number, body: string): FakeComment {
    const comment = { id: this.nextId++, issue, body };
    this.comments.push(comment);
    return comment;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const call: RecordedCall = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: raw === '' ? undefined : (JSON.parse(raw) as { body?: string }),
      authorization: req.headers.authorization,
    };
    this.calls.push(call);
    const kind = kindOf(call.method, call.path);
    const status = kind === undefined ? 404 : this.failWith[kind];
    if (status !== undefined) {
      const message = status === 403 ? 'Resource not accessible by integration' : 'Not Found';
      return send(res, status, { message, documentation_url: 'https://docs.github.com/rest' });
    }
    const issue = Number(/\/issues\/(\d+)\/comments$/.exec(call.path)?.[1]);
    if (kind === 'list') return this.list(url, issue, res);
    if (kind === 'create') return send(res, 201, this.view(this.add(issue, call.body?.body ?? '')));
    const id = Number(/\/comments\/(\d+)$/.exec(call.path)?.[1]);
    const comment = this.comments.find((c) => c.id === id);
    if (comment === undefined) return send(res, 404, { message: 'Not Found' });
    comment.body = call.body?.body ?? '';
    return send(res, 200, this.view(comment));
  }

  private list(url: URL, issue: number, res: ServerResponse): void {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = this.commentsOn(issue);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string): string => {
      const target = new URL(url.pathname, this.url);
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(p));
      return `<${target.href}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    const data = all.slice((page - 1) * perPage, page * perPage).map((c) => this.view(c));
    send(res, 200, data, links.length > 0 ? { link: links.join(', ') } : {});
  }

  private view(c: FakeComment): Record<string, unknown> {
    return {
      id: c.id,
      body: c.body,
      html_url: `https://github.com/owner/repo/pull/${c.issue}#issuecomment-${c.id}`,
      user: { login: 'github-actions[bot]' },
    };
  }
}

function kindOf(method: string, path: string): CallKind | undefined {
  if (/^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path)) {
    if (method === 'GET') return 'list';
    if (method === 'POST') return 'create';
  }
  if (method === 'PATCH' && /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/\d+$/.test(path)) {
    return 'update';
  }
  return undefined;
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
