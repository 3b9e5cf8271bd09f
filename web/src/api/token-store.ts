import type { SessionTokens } from './types';

/**
 * Says only that this browser holds a session cookie (the refresh token itself is HttpOnly, out of
 * reach of any script): whether a reload should try to refresh, and, removed, that a tab signed out.
 */
const sessionKey = 'echoplex.session';
/** Where earlier versions kept the refresh token itself; removed wherever it is still found. */
const legacyRefreshTokenKey = 'echoplex.refreshToken';

export type TokenChange = 'signedIn' | 'refreshed' | 'signedOut';

/**
 * Where the session lives: the access token only in memory (a page script can never find an old one
 * lying around), the refresh token in an HttpOnly cookie the server sets, so a reload or a new tab
 * stays signed in by refreshing through it.
 */
export class TokenStore {
  private access: string | null = null;
  private accessExpiresAt = 0;
  private readonly listeners = new Set<(change: TokenChange) => void>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = safeLocalStorage(),
    private readonly now: () => number = Date.now,
  ) {
    this.storage?.removeItem(legacyRefreshTokenKey);
  }

  get accessToken(): string | null {
    return this.access;
  }

  /** Milliseconds since the epoch when the access token stops working; 0 without one. */
  get accessTokenExpiresAt(): number {
    return this.accessExpiresAt;
  }

  /** Read from storage every time: another tab may have signed in or out since. */
  get hasSession(): boolean {
    return this.storage?.getItem(sessionKey) === '1';
  }

  save(tokens: Pick<SessionTokens, 'accessToken' | 'expiresIn'>, change: Exclude<TokenChange, 'signedOut'>): void {
    this.access = tokens.accessToken;
    this.accessExpiresAt = this.now() + tokens.expiresIn * 1000;
    this.storage?.setItem(sessionKey, '1');
    this.emit(change);
  }

  clear(): void {
    const hadSession = this.access !== null || this.hasSession;
    this.access = null;
    this.accessExpiresAt = 0;
    this.storage?.removeItem(sessionKey);
    if (hadSession) this.emit('signedOut');
  }

  /** Another tab signed out (removed the session mark): forget the access token here too. */
  forgetAccessToken(): void {
    if (this.access === null) return;
    this.access = null;
    this.accessExpiresAt = 0;
    this.emit('signedOut');
  }

  onChange(listener: (change: TokenChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: TokenChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}

export const sessionStorageKey = sessionKey;

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage disabled (privacy mode): the session simply ends with the tab.
    return null;
  }
}
