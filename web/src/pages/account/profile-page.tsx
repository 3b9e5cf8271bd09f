import { useState } from 'react';
import { useApi } from '../../app/app-services';
import { useAuth } from '../../auth/auth-context';
import { TextField } from '../../components/fields';
import { FormAlert } from '../../components/form-alert';
import { useDocumentTitle } from '../../hooks/use-document-title';
import { useFormSubmit } from '../../hooks/use-form-submit';

export default function ProfilePage() {
  useDocumentTitle('Profile');
  const { user } = useAuth();
  if (!user) return null;
  return (
    <section className="page narrow">
      <h1>Your profile</h1>
      <p>
        {user.email} · <span className="role-tag">{user.role}</span>
      </p>
      <ProfileForm />
      <PasswordForm />
    </section>
  );
}

function ProfileForm() {
  const api = useApi();
  const { user, replaceUser } = useAuth();
  const [values, setValues] = useState({
    firstName: user?.firstName ?? '',
    lastName: user?.lastName ?? '',
    phone: user?.phone ?? '',
  });
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit();
  const change = (field: keyof typeof values) => (event: React.ChangeEvent<HTMLInputElement>) => {
    setValues((current) => ({ ...current, [field]: event.target.value }));
    setSaved(false);
    form.clearError(field);
  };
  const submit = form.onSubmit(
    async () => {
      const phone = values.phone.trim();
      replaceUser(
        await api.identity.updateMe({
          firstName: values.firstName.trim(),
          lastName: values.lastName.trim(),
          ...(phone ? { phone } : {}),
        }),
      );
      setSaved(true);
    },
    () => ({
      ...(values.firstName.trim() ? {} : { firstName: 'Enter your first name.' }),
      ...(values.lastName.trim() ? {} : { lastName: 'Enter your last name.' }),
    }),
  );
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="stack card">
      <h2>Details</h2>
      <FormAlert message={form.summary} />
      {saved && <FormAlert tone="success" message="Saved." />}
      <div className="row">
        <TextField
          label="First name"
          name="firstName"
          autoComplete="given-name"
          value={values.firstName}
          onChange={change('firstName')}
          error={form.errors.firstName}
        />
        <TextField
          label="Last name"
          name="lastName"
          autoComplete="family-name"
          value={values.lastName}
          onChange={change('lastName')}
          error={form.errors.lastName}
        />
      </div>
      <TextField
        label="Phone (optional)"
        name="phone"
        type="tel"
        autoComplete="tel"
        value={values.phone}
        onChange={change('phone')}
        error={form.errors.phone}
      />
      <button type="submit" className="button primary" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? 'Saving…' : 'Save details'}
      </button>
    </form>
  );
}

function PasswordForm() {
  const api = useApi();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useFormSubmit({ invalid_credentials: 'currentPassword', weak_password: 'newPassword' });
  const submit = form.onSubmit(
    async () => {
      await api.identity.changePassword(currentPassword, newPassword);
      setCurrentPassword('');
      setNewPassword('');
      setSaved(true);
    },
    () => ({
      ...(currentPassword ? {} : { currentPassword: 'Enter your current password.' }),
      ...(newPassword.length >= 8 ? {} : { newPassword: 'Use at least 8 characters.' }),
    }),
  );
  return (
    <form ref={form.formRef} onSubmit={submit} noValidate className="stack card">
      <h2>Change password</h2>
      <FormAlert message={form.summary} />
      {saved && <FormAlert tone="success" message="Password changed." />}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={(event) => {
          setCurrentPassword(event.target.value);
          setSaved(false);
          form.clearError('currentPassword');
        }}
        error={form.errors.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={newPassword}
        onChange={(event) => {
          setNewPassword(event.target.value);
          form.clearError('newPassword');
        }}
        error={form.errors.newPassword}
      />
      <button type="submit" className="button secondary" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
