import { describe, expect, it } from 'vitest';
import { InboundRate } from '../src/socket/inbound-rate';

describe('the inbound rate of one client', () => {
  it('accepts a burst, refuses the next frame once, ignores the rest and ends after another burst', () => {
    const rate = new InboundRate({ perSecond: 10, burst: 5 }, 0);
    const admissions = Array.from({ length: 10 }, () => rate.admit(0));
    expect(admissions).toEqual([...Array(5).fill('accepted'), 'refused', 'ignored', 'ignored', 'ignored', 'exceeded']);
  });

  it('lets a client that slows down recover', () => {
    const rate = new InboundRate({ perSecond: 10, burst: 5 }, 0);
    for (let i = 0; i < 7; i++) rate.admit(0);
    // Two frames below zero: 300 ms at 10/s pays them back and leaves one token.
    expect(rate.admit(300)).toBe('accepted');
    expect(rate.admit(300)).toBe('refused');
  });

  it('never stores more than one burst, however long the client was quiet', () => {
    const rate = new InboundRate({ perSecond: 10, burst: 3 }, 0);
    const admissions = Array.from({ length: 4 }, () => rate.admit(3_600_000));
    expect(admissions).toEqual(['accepted', 'accepted', 'accepted', 'refused']);
  });

  it('keeps accepting a client at its sustained rate', () => {
    const rate = new InboundRate({ perSecond: 10, burst: 1 }, 0);
    const admissions = Array.from({ length: 50 }, (_, i) => rate.admit(i * 100));
    expect(new Set(admissions)).toEqual(new Set(['accepted']));
  });
});
