import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { Role } from '../../api/types';
import { useAuth } from '../../auth/auth-context';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';
import { safeNext } from './login-page';

export default function RegisterPage() {
  useDocumentTitle('Create account');
  const { register } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [values, setValues] = useState({ firstName: '', lastName: '', email: '', password: '' });
  const [role, setRole] = useState<Role>(params.get('role') === 'organizer' ? 'organizer' : 'attendee');
  const form = useFormSubmit();

  const change = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    form.clearError(field);
  };

  const submit = form.onSubmit(
    async () => {
      const user = await register({
        email: values.email.trim(),
        password: values.password,
        firstName: values.firstName.trim(),
        lastName: values.lastName.trim(),
        role,
      });
      navigate(safeNext(params.get('next'), user.role === 'organizer' ? '/organizer' : '/events'), { replace: true });
    },
    () => {
      const errors: Record<string, string> = {};
      if (!values.firstName.trim()) errors.firstName = 'Enter your first name.';
      if (!values.lastName.trim()) errors.lastName = 'Enter your last name.';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email.trim())) errors.email = 'Enter a valid email address.';
      if (values.password.length < 8) errors.password = 'Use at least 8 characters.';
      return errors;
    },
  );

  return (
    <section className="page narrow">
      <h1>Create your account</h1>
      <form ref={form.formRef} onSubmit={submit} noValidate className="stack">
        <FormAlert message={form.summary} />
        <fieldset className="role-choice">
          <legend>I want to</legend>
          <label className={role === 'attendee' ? 'choice selected' : 'choice'}>
            <input
              type="radio"
              name="role"
              value="attendee"
              checked={role === 'attendee'}
              onChange={() => setRole('attendee')}
            />
            <span>
              <strong>Attend events</strong>
              <span className="hint">Find events, buy tickets, keep them on my phone.</span>
            </span>
          </label>
          <label className={role === 'organizer' ? 'choice selected' : 'choice'}>
            <input
              type="radio"
              name="role"
              value="organizer"
              checked={role === 'organizer'}
              onChange={() => setRole('organizer')}
            />
            <span>
              <strong>Organize events</strong>
              <span className="hint">Sell tickets, watch sales live, check people in.</span>
            </span>
          </label>
        </fieldset>
        <div className="row">
          <TextField
            label="First name"
            name="firstName"
            autoComplete="given-name"
            value={values.firstName}
            onChange={change('firstName')}
            error={form.errors.firstName}
            required
          />
          <TextField
            label="Last name"
            name="lastName"
            autoComplete="family-name"
            value={values.lastName}
            onChange={change('lastName')}
            error={form.errors.lastName}
            required
          />
        </div>
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          value={values.email}
          onChange={change('email')}
          error={form.errors.email}
          required
        />
        <TextField
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={values.password}
          onChange={change('password')}
          error={form.errors.password}
          hint="At least 8 characters; common passwords are refused."
          required
        />
        <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </section>
  );
}
