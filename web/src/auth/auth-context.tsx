import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { Registration as NewAccount } from '../api/identity-api';
import { sessionStorageKey } from '../api/token-store';
import type { User } from '../api/types';
import { useApi, useRealtimeClient } from '../app/app-services';

export type AuthStatus = 'restoring' | 'signedIn' | 'signedOut';

export interface Auth {
  status: AuthStatus;
  user: User | null;
  logIn(email: string, password: string): Promise<User>;
  register(account: NewAccount): Promise<User>;
  logOut(): Promise<void>;
  /** After a profile edit. */
  replaceUser(user: User): void;
}

const AuthContext = createContext<Auth | null>(null);

/** How long before expiry the access token is renewed, so no request ever meets an expired one. */
const refreshAheadMs = 60_000;

/**
 * The session of this tab: restored through the refresh cookie on load, renewed silently before
 * the access token expires (and on any 401, by the client), ended everywhere when a tab signs out.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const realtime = useRealtimeClient();
  const tokens = api.client.tokens;
  const [user, setUser] = useState<User | null>(null);
  const [status, setStatus] = useState<AuthStatus>(() => (tokens.hasSession ? 'restoring' : 'signedOut'));
  const restoring = useRef<Promise<void> | null>(null);

  useEffect(() => {
    if (!tokens.hasSession || restoring.current) return;
    restoring.current = (async () => {
      const restored = tokens.accessToken !== null || (await api.client.refreshSession());
      if (!restored) {
        setStatus('signedOut');
        return;
      }
      try {
        setUser(await api.identity.me());
        setStatus('signedIn');
      } catch {
        setStatus('signedOut');
      }
    })();
  }, [api, tokens]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const scheduleRenewal = () => {
      clearTimeout(timer);
      const expiresAt = tokens.accessTokenExpiresAt;
      if (!expiresAt) return;
      const delay = Math.max(5_000, expiresAt - Date.now() - refreshAheadMs);
      timer = setTimeout(() => void api.client.refreshSession(), delay);
    };
    const stop = tokens.onChange((change) => {
      if (change === 'signedOut') {
        clearTimeout(timer);
        setUser(null);
        setStatus('signedOut');
        realtime.authenticate(null);
        return;
      }
      realtime.authenticate(tokens.accessToken);
      scheduleRenewal();
    });
    scheduleRenewal();
    const otherTab = (event: StorageEvent) => {
      if (event.key === sessionStorageKey && event.newValue === null) tokens.forgetAccessToken();
    };
    window.addEventListener('storage', otherTab);
    return () => {
      stop();
      clearTimeout(timer);
      window.removeEventListener('storage', otherTab);
    };
  }, [api, tokens, realtime]);

  const signedIn = useCallback((next: User) => {
    setUser(next);
    setStatus('signedIn');
    return next;
  }, []);

  const value = useMemo<Auth>(
    () => ({
      status,
      user,
      logIn: async (email, password) => signedIn(await api.identity.logIn(email, password)),
      register: async (account) => signedIn(await api.identity.register(account)),
      logOut: () => api.identity.logOut(),
      replaceUser: setUser,
    }),
    [api, status, user, signedIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('AuthProvider is missing above this component.');
  return auth;
}
