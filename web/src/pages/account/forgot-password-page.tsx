import { useState } from 'react';
import { Link } from 'react-router-dom';
import { isProblemCode } from '../../api/problem';
import type { MailboxItem } from '../../api/types';
import { useApi } from '../../app/app-services';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';

export default function ForgotPasswordPage() {
  useDocumentTitle('Forgot password');
  const api = useApi();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useFormSubmit();

  const submit = form.onSubmit(
    async () => {
      await api.identity.forgotPassword(email.trim());
      setSentTo(email.trim());
    },
    (): Record<string, string> =>
      /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? {} : { email: 'Enter the email address of your account.' },
  );

  return (
    <section className="page narrow">
      <h1>Forgot your password?</h1>
      {sentTo ? (
        <>
          <p className="form-alert success" role="status">
            If an account exists for {sentTo}, we sent it a link to choose a new password. The link works for 30
            minutes.
          </p>
          <DevMailbox email={sentTo} />
        </>
      ) : (
        <form ref={form.formRef} onSubmit={submit} noValidate className="stack">
          <p>Enter the email address of your account and we will send you a link to choose a new password.</p>
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
          <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
            {form.busy ? 'Sending…' : 'Send reset link'}
          </button>
        </form>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}

/**
 * In development the platform stores mail instead of sending it (`GET /api/dev/mailbox`, 404 in
 * production). When it answers, show the reset mail right here so nobody has to dig for it.
 */
function DevMailbox({ email }: { email: string }) {
  const api = useApi();
  const [mail, setMail] = useState<MailboxItem | null | 'unavailable'>(null);
  const [checking, setChecking] = useState(false);

  const open = async () => {
    setChecking(true);
    try {
      const { items } = await api.identity.mailbox(email);
      setMail(items.find((item) => /reset/i.test(item.subject)) ?? items[0] ?? 'unavailable');
    } catch (error) {
      setMail(isProblemCode(error, 'not_found') ? 'unavailable' : null);
    } finally {
      setChecking(false);
    }
  };

  const link = typeof mail === 'object' && mail ? resetLinkIn(mail.text) : null;
  return (
    <aside className="dev-note" aria-label="Development mailbox">
      <p>
        <strong>Development mode:</strong> mail is kept in the{' '}
        <a href={`/api/dev/mailbox?to=${encodeURIComponent(email)}`} target="_blank" rel="noreferrer">
          dev mailbox
        </a>
        .{' '}
        <button type="button" className="link-button" onClick={open} disabled={checking}>
          {checking ? 'Checking…' : 'Show the reset email here'}
        </button>
      </p>
      {mail === 'unavailable' && <p className="hint">No mail for this address (or no dev mailbox on this server).</p>}
      {typeof mail === 'object' && mail && (
        <div className="mail">
          <p>
            <strong>{mail.subject}</strong>
          </p>
          {link ? (
            <p>
              <a href={link.pathAndQuery}>Open the reset link</a>
            </p>
          ) : (
            <pre>{mail.text}</pre>
          )}
        </div>
      )}
    </aside>
  );
}

/** The link in the mail points at PUBLIC_URL; follow it on this origin, whatever that was configured to. */
export function resetLinkIn(text: string): { pathAndQuery: string } | null {
  const match = /https?:\/\/\S*\/reset-password\?token=[^\s]+/.exec(text);
  if (!match) return null;
  const url = new URL(match[0]);
  return { pathAndQuery: `${url.pathname}${url.search}` };
}
