import { demoAccounts } from './seed';

/**
 * What `npm start` prints once it listens: where the platform is and, outside production, which
 * stand-ins replace real services and how to sign in, so nobody mistakes a demo for the real thing.
 */
export function startBanner(env: NodeJS.ProcessEnv, url: string): string[] {
  const lines = [`EchoPlex is running at ${url}  (API docs: /docs)`];
  if (env.NODE_ENV === 'production')
    return [...lines, 'Production mode: real payments, no sample data, no /api/dev routes.'];
  const fakes = [
    ...(env.STRIPE_SECRET_KEY ? [] : ['payments (the in-repo fake Stripe: pay with the test card form)']),
    ...(env.SMTP_URL ? [] : ['mail (kept in the dev mailbox at /api/dev/mailbox, not sent)']),
    ...(env.DATABASE_URL ? [] : ['database (an embedded PostgreSQL in .data/postgres)']),
  ];
  return [
    ...lines,
    'Development mode, not for real sales.',
    ...(fakes.length > 0 ? ['Stand-ins on:', ...fakes.map((fake) => `  - ${fake}`)] : ['Stand-ins on: none']),
    `Demo logins (password ${demoAccounts.password}):`,
    ...demoAccounts.organizers.map((organizer) => `  organizer ${organizer.email}`),
    `  attendee  ${demoAccounts.attendee.email}`,
  ];
}
