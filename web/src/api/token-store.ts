import type { SessionTokens } from './types';

const refreshTokenKey = 'echoplex.refreshToken';

export type TokenChange = 'signedIn' | 'refreshed' | 'signedOut';

/**
 * Where the session lives: the access token only in memory (a page script can never find an old one
 * lying around), the refresh token in localStorage so a reload or a new tab stays signed in.
 */
export class TokenStore {
  private access: string | null = null;
  private accessExpiresAt = 0;
  private readonly listeners = new Set<(change: TokenChange) => void>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null = safeLocalStorage(),
    private readonly now: () => number = Date.now,
  ) {}

  get accessToken(): string | null {
    return this.access;
  }

  /** Milliseconds since the epoch when the access token stops working; 0 without one. */
  get accessTokenExpiresAt(): number {
    return this.accessExpiresAt;
  }

  /** Read from storage every time: another tab may have rotated it since. */
  get refreshToken(): string | null {
    return this.storage?.getItem(refreshTokenKey) ?? null;
  }

  save(tokens: SessionTokens, change: Exclude<TokenChange, 'signedOut'>): void {
    this.access = tokens.accessToken;
    this.accessExpiresAt = this.now() + tokens.expiresIn * 1000;
    this.storage?.setItem(refreshTokenKey, tokens.refreshToken);
    this.emit(change);
  }

  clear(): void {
    const hadSession = this.access !== null || this.refreshToken !== null;
    this.access = null;
    this.accessExpiresAt = 0;
    this.storage?.removeItem(refreshTokenKey);
    if (hadSession) this.emit('signedOut');
  }

  /** Another tab signed out (removed the refresh token): forget the access token here too. */
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

export const refreshTokenStorageKey = refreshTokenKey;

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage disabled (privacy mode): the session simply ends with the tab.
    return null;
  }
}
