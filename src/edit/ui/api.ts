/** The front end's side of protocol.ts: every call carries the token the page was opened with. */
import { TOKEN_HEADER, type ApiError } from '../protocol.js';

export const token: string = new URLSearchParams(location.search).get('token') ?? '';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

export async function api<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { [TOKEN_HEADER]: token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json()) as unknown;
  if (!res.ok) throw new ApiFailure(res.status, data as ApiError);
  return data as T;
}

/** For URLs the browser fetches by itself (an iframe's PDF): the token as a query parameter. */
export function withToken(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}
