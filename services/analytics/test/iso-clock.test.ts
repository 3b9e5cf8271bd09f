import { describe, expect, it } from 'vitest';
import { isoClock } from '../src/routes/record-page-view.route';

describe('isoClock', () => {
  it('always tells the clock’s own time, whether it stays within a millisecond, moves on or steps back', () => {
    const times = [
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T11:00:00.000Z',
      '2026-12-03T11:00:00.001Z',
      '2026-12-03T11:00:00.001Z',
      '2026-12-03T10:59:59.999Z',
      '2026-12-03T11:00:00.001Z',
      '2027-01-01T00:00:00.000Z',
    ].map((text) => new Date(text));
    let reading = 0;
    const now = isoClock(() => times[reading++] as Date);
    expect(times.map(() => now())).toEqual(times.map((time) => time.toISOString()));
  });

  it('formats a millisecond once, however many views share it', () => {
    const time = new Date('2026-12-03T11:00:00.000Z');
    let formatted = 0;
    const toISOString = time.toISOString.bind(time);
    time.toISOString = () => {
      formatted++;
      return toISOString();
    };
    const now = isoClock(() => time);
    for (let view = 0; view < 50; view++) expect(now()).toBe('2026-12-03T11:00:00.000Z');
    expect(formatted).toBe(1);
  });
});
