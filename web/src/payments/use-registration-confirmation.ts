import { useEffect, useRef, useState } from 'react';
import type { Registration, RegistrationStatus } from '../api/types';
import { useApi } from '../app/app-services';
import { useAuth } from '../auth/auth-context';
import { useChannel } from '../hooks/use-channel';

export type ConfirmationState =
  | { phase: 'waiting' }
  | { phase: 'settled'; registration: Registration }
  | { phase: 'slow' };

/** How long to wait before telling the person it takes unusually long (they may keep waiting). */
const patienceMs = 30_000;

/**
 * After paying, the registration turns `confirmed` once the payment webhook has been processed.
 * The `user:` channel says so as soon as it happens; polling covers a socket that is not connected.
 */
export function useRegistrationConfirmation(registrationId: string | null): ConfirmationState {
  const api = useApi();
  const { user } = useAuth();
  const [state, setState] = useState<ConfirmationState>({ phase: 'waiting' });
  const settled = useRef(false);

  const check = useRef(async () => {});
  check.current = async () => {
    if (!registrationId || settled.current) return;
    const registration = await api.ticketing.registration(registrationId).catch(() => null);
    if (registration && registration.status !== 'pending' && !settled.current) {
      settled.current = true;
      setState({ phase: 'settled', registration });
    }
  };

  useChannel(registrationId && user ? `user:${user.id}` : null, (message) => {
    const data = message.data as { registrationId?: string; status?: RegistrationStatus } | undefined;
    if (
      message.type === 'registration.updated' &&
      data?.registrationId === registrationId &&
      data.status !== 'pending'
    ) {
      void check.current();
    }
  });

  useEffect(() => {
    if (!registrationId) return;
    settled.current = false;
    setState({ phase: 'waiting' });
    let delay = 500;
    let timer: ReturnType<typeof setTimeout>;
    const started = Date.now();
    const poll = async () => {
      await check.current();
      if (settled.current) return;
      if (Date.now() - started > patienceMs)
        setState((current) => (current.phase === 'waiting' ? { phase: 'slow' } : current));
      delay = Math.min(delay * 1.5, 4_000);
      timer = setTimeout(poll, delay);
    };
    timer = setTimeout(poll, delay);
    return () => clearTimeout(timer);
  }, [registrationId]);

  return state;
}
