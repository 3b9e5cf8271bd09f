import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../auth/auth-context';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';

/** Only same-site paths: a crafted `?next=https://evil.example` must not bounce people away. */
export function safeNext(next: string | null, fallback: string): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export default function LoginPage() {
  useDocumentTitle('Sign in');
  const { logIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useFormSubmit();

  const submit = form.onSubmit(
    async () => {
      const user = await logIn(email.trim(), password);
      navigate(safeNext(params.get('next'), user.role === 'organizer' ? '/organizer' : '/events'), { replace: true });
    },
    () => ({
      ...(email.trim() ? {} : { email: 'Enter your email address.' }),
      ...(password ? {} : { password: 'Enter your password.' }),
    }),
  );

  return (
    <section className="page narrow">
      <h1>Sign in</h1>
      <form ref={form.formRef} onSubmit={submit} noValidate className="stack">
        <FormAlert message={form.summary} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            form.clearError('email');
          }}
          error={form.errors.email}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            form.clearError('password');
          }}
          error={form.errors.password}
          required
        />
        <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        <Link to="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here?{' '}
        <Link to={`/register${params.get('next') ? `?next=${encodeURIComponent(params.get('next')!)}` : ''}`}>
          Create an account
        </Link>
      </p>
    </section>
  );
}
