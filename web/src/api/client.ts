import { networkProblem, problemFromResponse } from './problem';
import type { TokenStore } from './token-store';
import type { SessionTokens } from './types';

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A plain value is sent as JSON; FormData as multipart (the browser writes the boundary). */
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** `false` for calls that must never carry or refresh a token (sign-in, refresh itself). */
  auth?: boolean;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** `text` for CSV and other non-JSON answers. */
  as?: 'json' | 'text';
}

type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * The one way the SPA talks HTTP. Failures become `ApiProblem`s. A 401 on an authenticated call is
 * answered once by rotating the refresh token and repeating the call; if that fails too the session
 * is over and the store says so.
 */
export class ApiClient {
  private refreshing: Promise<boolean> | null = null;

  constructor(
    readonly tokens: TokenStore,
    private readonly fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init),
    private readonly baseUrl = '',
  ) {}

  get<T>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'GET' });
  }

  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'POST', body });
  }

  patch<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PATCH', body });
  }

  put<T>(path: string, body: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'PUT', body });
  }

  delete<T = void>(path: string, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
    return this.request<T>(path, { ...options, method: 'DELETE' });
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const usesAuth = options.auth !== false;
    const sentWith = usesAuth ? this.tokens.accessToken : null;
    let response = await this.send(path, options, sentWith);
    if (response.status === 401 && usesAuth && this.tokens.hasSession && (await isTokenRejection(response))) {
      // Another call may have refreshed while this one was in flight: then just repeat it.
      const fresh = this.tokens.accessToken !== sentWith || (await this.refreshSession());
      if (fresh) response = await this.send(path, options, this.tokens.accessToken);
    }
    if (!response.ok) throw await problemFromResponse(response);
    if (response.status === 204 || response.status === 202) return undefined as T;
    if (options.as === 'text') return (await response.text()) as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Rotates the refresh token. Concurrent callers share one rotation, and tabs take turns through a
   * Web Lock where the browser has them: presenting a token another tab already rotated would look
   * like theft to the server and revoke the whole login.
   */
  refreshSession(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = withCrossTabLock('echoplex.refresh', () => this.rotate()).finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  /** The refresh token is the HttpOnly cookie the browser sends along; this script never sees it. */
  private async rotate(): Promise<boolean> {
    if (!this.tokens.hasSession) return false;
    let response: Response;
    try {
      response = await this.send('/api/auth/refresh', { method: 'POST' }, null);
    } catch {
      // Offline is not a failed login: keep the refresh token for the next attempt.
      return false;
    }
    if (!response.ok) {
      if (response.status === 401 || response.status === 400) this.tokens.clear();
      return false;
    }
    this.tokens.save((await response.json()) as SessionTokens, 'refreshed');
    return true;
  }

  private async send(path: string, options: RequestOptions, accessToken: string | null): Promise<Response> {
    // The header the server asks of requests the session cookie authenticates: a page on another
    // site cannot send it without a CORS preflight, which the gateway never grants.
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-requested-with': 'fetch',
      ...options.headers,
    };
    let body: BodyInit | undefined;
    if (options.body instanceof FormData) {
      body = options.body;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    try {
      return await this.fetchImpl(this.baseUrl + path + queryString(options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        // Same origin only: the refresh cookie goes to the gateway and nowhere else.
        credentials: 'same-origin',
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw networkProblem(error);
    }
  }
}

export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A 401 about the token (not, say, a wrong current password) is what a refresh can fix. */
async function isTokenRejection(response: Response): Promise<boolean> {
  try {
    const body = (await response.clone().json()) as { code?: unknown };
    return body.code === undefined || body.code === 'unauthorized' || body.code === 'invalid_token';
  } catch {
    return true;
  }
}

async function withCrossTabLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  if (!locks) return work();
  return locks.request(name, work) as Promise<T>;
}

/** A fresh key per user intent, reused when that intent is retried. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
