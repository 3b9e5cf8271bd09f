import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useApi } from '../../app/app-services';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';

export default function ResetPasswordPage() {
  useDocumentTitle('Choose a new password');
  const api = useApi();
  const [params] = useSearchParams();
  const [token, setToken] = useState(params.get('token') ?? '');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState(false);
  const form = useFormSubmit({ invalid_token: 'token' });
  const tokenFromLink = Boolean(params.get('token'));

  const submit = form.onSubmit(
    async () => {
      await api.identity.resetPassword(token.trim(), password);
      setDone(true);
    },
    () => {
      const errors: Record<string, string> = {};
      if (!token.trim()) errors.token = 'Paste the token from the email.';
      if (password.length < 8) errors.password = 'Use at least 8 characters.';
      else if (password !== confirmation) errors.confirmation = 'The two passwords differ.';
      return errors;
    },
  );

  if (done) {
    return (
      <section className="page narrow">
        <h1>Password changed</h1>
        <p className="form-alert success" role="status">
          Your password was changed and you were signed out everywhere.
        </p>
        <p>
          <Link className="button primary" to="/login">
            Sign in with the new password
          </Link>
        </p>
      </section>
    );
  }

  return (
    <section className="page narrow">
      <h1>Choose a new password</h1>
      <form ref={form.formRef} onSubmit={submit} noValidate className="stack">
        <FormAlert message={form.summary} />
        {tokenFromLink && form.errors.token ? (
          <p className="field-error" role="alert">
            {form.errors.token} <Link to="/forgot-password">Ask for a new link</Link>.
          </p>
        ) : null}
        {!tokenFromLink && (
          <TextField
            label="Reset token"
            name="token"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            error={form.errors.token}
            autoComplete="one-time-code"
            required
          />
        )}
        <TextField
          label="New password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            form.clearError('password');
          }}
          error={form.errors.password}
          hint="At least 8 characters; common passwords are refused."
          required
        />
        <TextField
          label="Repeat the new password"
          name="confirmation"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(event) => {
            setConfirmation(event.target.value);
            form.clearError('confirmation');
          }}
          error={form.errors.confirmation}
          required
        />
        <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </section>
  );
}
