import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FakeGateway, json, problem } from '../../testing/fake-gateway';
import { attendee, renderWithApp } from '../../testing/render-with-app';
import { resetLinkIn } from './forgot-password-page';
import LoginPage from './login-page';
import RegisterPage from './register-page';

async function fillRegistration(user: ReturnType<typeof userEvent.setup>, password = 'correct horse battery') {
  await user.type(screen.getByLabelText('First name'), 'Ada');
  await user.type(screen.getByLabelText('Last name'), 'Lovelace');
  await user.type(screen.getByLabelText('Email'), 'ada@example.com');
  await user.type(screen.getByLabelText('Password'), password);
}

describe('register form', () => {
  it('shows what is missing next to each field before sending anything, and focuses the first', async () => {
    const user = userEvent.setup();
    const { gateway } = renderWithApp(<RegisterPage />, { path: '/register' });

    await user.click(screen.getByRole('button', { name: 'Create account' }));

    expect(screen.getByLabelText('First name')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('First name')).toHaveAccessibleDescription('Enter your first name.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter a valid email address.');
    await waitFor(() => expect(screen.getByLabelText('First name')).toHaveFocus());
    expect(gateway.requests).toHaveLength(0);
  });

  it('puts email_taken next to the email field', async () => {
    const user = userEvent.setup();
    const gateway = new FakeGateway().on(
      'POST /api/auth/register',
      problem(409, 'email_taken', 'This email is already registered.'),
    );
    renderWithApp(<RegisterPage />, { path: '/register', gateway });

    await fillRegistration(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email).toHaveAccessibleDescription(/An account with this email already exists/);
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the highlighted field.');
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'false');
  });

  it("puts weak_password's explanation next to the password, from errors[].path", async () => {
    const user = userEvent.setup();
    const gateway = new FakeGateway().on(
      'POST /api/auth/register',
      problem(422, 'weak_password', 'This password is too common.', {
        errors: [{ path: 'body.password', message: 'is one of the most commonly used passwords' }],
      }),
    );
    renderWithApp(<RegisterPage />, { path: '/register', gateway });

    await fillRegistration(user, 'password123');
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await waitFor(() =>
      expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
        /Is one of the most commonly used passwords\./,
      ),
    );
  });

  it('registers with the chosen role and keeps the session', async () => {
    const user = userEvent.setup();
    const gateway = new FakeGateway().on('POST /api/auth/register', (request) =>
      json(201, {
        user: { ...attendee, role: (request.body as { role: string }).role },
        accessToken: 'a1',
        refreshToken: 'r1',
        expiresIn: 900,
      }),
    );
    const { storage } = renderWithApp(<RegisterPage />, { path: '/register', gateway });

    await user.click(screen.getByLabelText(/Organize events/));
    await fillRegistration(user);
    await user.click(screen.getByRole('button', { name: 'Create account' }));

    await screen.findByText('Navigated away');
    expect(gateway.calls('POST', '/api/auth/register')[0]?.body).toMatchObject({
      role: 'organizer',
      email: 'ada@example.com',
    });
    expect(storage.getItem('echoplex.session')).toBe('1');
    expect(storage.getItem('echoplex.refreshToken')).toBeNull();
  });
});

describe('login form', () => {
  it('says the credentials are wrong without blaming one field', async () => {
    const user = userEvent.setup();
    const gateway = new FakeGateway().on(
      'POST /api/auth/login',
      problem(401, 'invalid_credentials', 'The email or password is incorrect.'),
    );
    renderWithApp(<LoginPage />, { path: '/login', gateway });

    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The email or password is wrong.');
    expect(gateway.calls('POST', '/api/auth/refresh')).toHaveLength(0);
  });
});

describe('dev mailbox link', () => {
  it('follows the reset link on this origin whatever PUBLIC_URL said', () => {
    const text =
      'Hello Ada,\n\nopen this link:\n\nhttp://localhost:3000/reset-password?token=abc_DEF-123\n\nReset token: abc';
    expect(resetLinkIn(text)).toEqual({ pathAndQuery: '/reset-password?token=abc_DEF-123' });
  });
});
