/**
 * The workspace's HTTP server: node:http on 127.0.0.1 only, one random token per run, and the
 * checks that keep any other web page from driving it (see protocol.ts for the rules). Routes are
 * registered by the modules that own them (session routes, office routes); this file knows only
 * security, routing, JSON and the static front end.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../common/paths.js';
import { TOKEN_HEADER, type ApiError } from './protocol.js';

/** A request body is a form's edit or a short list: a few MB is already absurd. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
  ) {
    super(body.message);
  }
}

export interface Request {
  method: string;
  /** Path without query. */
  pathname: string;
  query: URLSearchParams;
  /** Route parameters (`:id` → params.id), decoded. */
  params: Record<string, string>;
  /** The parsed JSON body of a POST (undefined when empty). */
  body: unknown;
  raw: IncomingMessage;
}

/** What a handler returns: JSON by default, or bytes with a content type. */
export type Reply = { json: unknown; status?: number } | { bytes: Uint8Array; type: string; status?: number };
export type Handler = (req: Request) => Promise<Reply> | Reply;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** `path` like /api/applicants/:id/state; a parameter matches one path segment. */
  get(p: string, handler: Handler): void {
    this.add('GET', p, handler);
  }

  post(p: string, handler: Handler): void {
    this.add('POST', p, handler);
  }

  private add(method: Route['method'], p: string, handler: Handler): void {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${p
        .split('/')
        .map((seg) => (seg.startsWith(':') ? (keys.push(seg.slice(1)), '([^/]+)') : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('/')}$`,
    );
    this.routes.push({ method, pattern, keys, handler });
  }

  match(method: string, pathname: string): { route: Route; params: Record<string, string> } | 'method' | undefined {
    let wrongMethod = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      if (route.method !== method) {
        wrongMethod = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1]!)));
      return { route, params };
    }
    return wrongMethod ? 'method' : undefined;
  }
}

export interface EditServer {
  /** http://127.0.0.1:PORT/?token=… : the address to open. */
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

/** Where `npm run build` puts the bundled front end (tools/bundle.mjs). */
export const UI_DIR = path.join(PACKAGE_ROOT, 'dist', 'edit', 'ui');

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    // The page loads only its own bundle; nothing from elsewhere, no framing by other pages.
    'Content-Security-Policy': "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-src 'self' blob:; object-src 'self'; frame-ancestors 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, body: ApiError): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { code: 'invalid', message: '请求内容过大，已拒绝' });
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, { code: 'invalid', message: '请求内容不是有效的 JSON' });
  }
}

/**
 * Starts the server on 127.0.0.1 (port 0 = any free port). The token is 32 random bytes: the
 * address printed to the terminal is the only way in.
 */
export async function startServer(router: Router, options: { port?: number; uiDir?: string } = {}): Promise<EditServer> {
  const token = randomBytes(32).toString('hex');
  const uiDir = options.uiDir ?? UI_DIR;
  let port = options.port ?? 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      // DNS rebinding: a page on evil.example resolving to 127.0.0.1 still sends its own Host.
      if (!allowedHosts().includes(req.headers.host ?? '')) {
        return sendError(res, 403, { code: 'host', message: '请求的主机名不是本机地址，已拒绝' });
      }
      if (!url.pathname.startsWith('/api/')) {
        if (method !== 'GET') return sendError(res, 405, { code: 'invalid', message: '不支持的请求方法' });
        return serveStatic(url, res);
      }
      const given = (req.headers[TOKEN_HEADER.toLowerCase()] as string | undefined) ?? url.searchParams.get('token');
      if (!sameToken(given, token)) {
        return sendError(res, 403, { code: 'token', message: '缺少或错误的访问令牌：请使用 shenbao edit 打印的完整地址打开' });
      }
      if (method !== 'GET') {
        // Browsers always send Origin on a cross-origin POST; a POST without it is not our page either.
        const origin = req.headers.origin;
        if (!origin || !allowedHosts().some((h) => origin === `http://${h}`)) {
          return sendError(res, 403, { code: 'origin', message: '请求来源不是本编辑器页面，已拒绝' });
        }
      }
      const hit = router.match(method, url.pathname);
      if (hit === 'method') return sendError(res, 405, { code: 'invalid', message: '不支持的请求方法' });
      if (!hit) return sendError(res, 404, { code: 'not-found', message: `没有这个接口：${url.pathname}` });
      const body = method === 'POST' ? await readBody(req) : undefined;
      const reply = await hit.route.handler({ method, pathname: url.pathname, query: url.searchParams, params: hit.params, body, raw: req });
      if ('bytes' in reply) send(res, reply.status ?? 200, reply.type, reply.bytes);
      else send(res, reply.status ?? 200, 'application/json; charset=utf-8', JSON.stringify(reply.json));
    })().catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof HttpError) return sendError(res, err.status, err.body);
      const e = err as { diagnostics?: ApiError['diagnostics']; exitCode?: number };
      if (e.diagnostics) return sendError(res, 422, { code: 'invalid', message: e.diagnostics[0]?.message ?? '数据有误', diagnostics: e.diagnostics });
      sendError(res, 500, { code: 'io', message: `内部错误：${err instanceof Error ? err.message : String(err)}` });
    });
  });

  function serveStatic(url: URL, res: ServerResponse): void {
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    // Only the flat list of files the build wrote: no path from the URL reaches the disk otherwise.
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return sendError(res, 404, { code: 'not-found', message: '找不到页面' });
    const file = path.join(uiDir, name);
    if (!existsSync(file)) {
      if (name === 'index.html') return send(res, 500, 'text/plain; charset=utf-8', '编辑器页面尚未构建：请在 shenbao 目录运行 npm run build');
      return sendError(res, 404, { code: 'not-found', message: '找不到页面' });
    }
    send(res, 200, STATIC_TYPES[path.extname(name)] ?? 'application/octet-stream', readFileSync(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
