import { describe, expect, it } from 'vitest';
import { startBanner } from '../src/banner';
import { demoAccounts } from '../src/seed';

describe('the start banner', () => {
  it('names every stand-in that is on and always prints the demo logins in development', () => {
    const text = startBanner({ NODE_ENV: 'development' }, 'http://localhost:3000').join('\n');
    expect(text).toContain('http://localhost:3000');
    expect(text).toMatch(/payments \(the in-repo fake Stripe/);
    expect(text).toMatch(/mail \(kept in the dev mailbox/);
    expect(text).toMatch(/database \(an embedded PostgreSQL/);
    expect(text).toContain(demoAccounts.password);
    for (const account of [...demoAccounts.organizers, demoAccounts.attendee]) expect(text).toContain(account.email);
  });

  it('leaves out the stand-ins that real services replace', () => {
    const text = startBanner(
      { STRIPE_SECRET_KEY: 'sk_test_x', SMTP_URL: 'smtp://mail:25', DATABASE_URL: 'postgres://db/echoplex' },
      'http://localhost:3000',
    ).join('\n');
    expect(text).toContain('Stand-ins on: none');
    expect(text).toContain(demoAccounts.attendee.email);
  });

  it('prints no logins and no stand-ins in production', () => {
    const text = startBanner({ NODE_ENV: 'production' }, 'https://tickets.example.com').join('\n');
    expect(text).toContain('Production mode');
    expect(text).not.toContain(demoAccounts.password);
    expect(text).not.toContain('Stand-ins');
  });
});
