import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import type { Role } from '../api/types';
import { Loading } from '../components/loading';
import { useAuth } from './auth-context';

/** Pages for signed-in people (of one role, if given); others go to sign in and come back after. */
export function RequireAuth({ onlyFor: role, children }: { onlyFor?: Role; children: ReactNode }) {
  const { status, user } = useAuth();
  const location = useLocation();
  if (status === 'restoring') return <Loading label="Restoring your session" />;
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (role && user.role !== role) {
    return (
      <section className="page narrow">
        <h1>Not available</h1>
        <p>
          This page is for {role}s. You are signed in as {user.email} ({user.role}).
        </p>
      </section>
    );
  }
  return <>{children}</>;
}
