import type { ApiClient } from './client';
import type { MailboxItem, Role, SignedIn, User } from './types';

export interface Registration {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  role: Role;
}

export function identityApi(client: ApiClient) {
  return {
    async register(input: Registration): Promise<User> {
      const signedIn = await client.post<SignedIn>('/api/auth/register', input, { auth: false });
      client.tokens.save(signedIn, 'signedIn');
      return signedIn.user;
    },
    async logIn(email: string, password: string): Promise<User> {
      const signedIn = await client.post<SignedIn>('/api/auth/login', { email, password }, { auth: false });
      client.tokens.save(signedIn, 'signedIn');
      return signedIn.user;
    },
    /**
     * Ends the session here whatever the server says: a dead network must not keep anyone signed in.
     * The server ends the session of the refresh cookie and clears it.
     */
    async logOut(): Promise<void> {
      const hadSession = client.tokens.hasSession;
      client.tokens.clear();
      if (hadSession) await client.post('/api/auth/logout', undefined, { auth: false }).catch(() => {});
    },
    forgotPassword: (email: string) => client.post<void>('/api/auth/password/forgot', { email }, { auth: false }),
    resetPassword: (token: string, password: string) =>
      client.post<void>('/api/auth/password/reset', { token, password }, { auth: false }),
    me: () => client.get<User>('/api/users/me'),
    updateMe: (patch: Partial<Pick<User, 'firstName' | 'lastName' | 'phone' | 'avatarUrl'>>) =>
      client.patch<User>('/api/users/me', patch),
    changePassword: (currentPassword: string, newPassword: string) =>
      client.post<void>('/api/users/me/password', { currentPassword, newPassword }),
    mailbox: (to: string) => client.get<{ items: MailboxItem[] }>('/api/dev/mailbox', { query: { to }, auth: false }),
  };
}
