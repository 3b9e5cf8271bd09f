import { describe, expect, it } from 'vitest';
import { Coalescer } from '../src/model/coalescer';
import { ManualScheduler } from './support/manual-scheduler';

describe('Coalescer', () => {
  const setup = (windowMs = 50) => {
    const scheduler = new ManualScheduler();
    const emitted: [string, number, number][] = [];
    const coalescer = new Coalescer<string, number>(
      windowMs,
      (key, value) => emitted.push([key, value, scheduler.now()]),
      scheduler,
    );
    return { scheduler, emitted, coalescer };
  };

  it('holds a key while the previous emission is still on its way, then sends only the latest', () => {
    const scheduler = new ManualScheduler();
    const emitted: [string, number, number][] = [];
    let busy = true;
    const coalescer = new Coalescer<string, number>(
      50,
      (key, value) => emitted.push([key, value, scheduler.now()]),
      scheduler,
      () => !busy,
    );
    coalescer.offer('a', 1);
    coalescer.offer('a', 2);
    scheduler.advance(200);
    coalescer.offer('a', 3);
    expect(emitted).toEqual([]);
    busy = false;
    scheduler.advance(10);
    expect(emitted).toEqual([['a', 3, 210]]);
  });

  it('sends a lone change at once', () => {
    const { coalescer, emitted } = setup();
    coalescer.offer('a', 1);
    expect(emitted).toEqual([['a', 1, 0]]);
  });

  it('collapses a burst into one trailing message with the latest value at the end of the window', () => {
    const { coalescer, emitted, scheduler } = setup();
    coalescer.offer('a', 1);
    scheduler.advance(10);
    coalescer.offer('a', 2);
    coalescer.offer('a', 3);
    scheduler.advance(20);
    coalescer.offer('a', 4);
    expect(emitted).toEqual([['a', 1, 0]]);
    scheduler.advance(20);
    expect(emitted).toEqual([
      ['a', 1, 0],
      ['a', 4, 50],
    ]);
  });

  it('keeps throttling a sustained stream to one message per window', () => {
    const { coalescer, emitted, scheduler } = setup();
    for (let t = 0; t < 500; t += 5) {
      coalescer.offer('a', t);
      scheduler.advance(5);
    }
    scheduler.advance(100);
    const times = emitted.map(([, , at]) => at);
    expect(times.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(50);
    }
    expect(emitted.at(-1)?.[1]).toBe(495);
  });

  it('throttles each key on its own', () => {
    const { coalescer, emitted, scheduler } = setup();
    coalescer.offer('a', 1);
    coalescer.offer('b', 1);
    coalescer.offer('a', 2);
    expect(emitted).toEqual([
      ['a', 1, 0],
      ['b', 1, 0],
    ]);
    scheduler.advance(50);
    expect(emitted).toEqual([
      ['a', 1, 0],
      ['b', 1, 0],
      ['a', 2, 50],
    ]);
  });

  it('sends at once again after a quiet window and forgets idle keys', () => {
    const { coalescer, emitted, scheduler } = setup();
    coalescer.offer('a', 1);
    coalescer.offer('a', 2);
    scheduler.advance(50);
    expect(scheduler.pendingTimers).toBe(1);
    scheduler.advance(50);
    expect(scheduler.pendingTimers).toBe(0);
    coalescer.offer('a', 3);
    expect(emitted.map(([, value]) => value)).toEqual([1, 2, 3]);
  });

  it('drops what is pending when closed', () => {
    const { coalescer, emitted, scheduler } = setup();
    coalescer.offer('a', 1);
    coalescer.offer('a', 2);
    coalescer.close();
    scheduler.advance(100);
    expect(emitted.map(([, value]) => value)).toEqual([1]);
  });
});
