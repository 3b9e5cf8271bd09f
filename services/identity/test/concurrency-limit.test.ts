import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../src/domain/concurrency-limit';

describe('concurrency limit', () => {
  it('runs at most its number of tasks at once, the others in arrival order, and passes results and errors through', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => {
      let resolve = () => {};
      const promise = new Promise<void>((done) => {
        resolve = done;
      });
      return { promise, resolve };
    });
    const tasks = gates.map((gate, index) =>
      limit.run(async () => {
        started.push(index);
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        running -= 1;
        if (index === 3) throw new Error('task 3 failed');
        return index;
      }),
    );
    const settled = Promise.allSettled(tasks);
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const gate of gates) {
      gate.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await settled;
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value : 'failed'))).toEqual([
      0,
      1,
      2,
      'failed',
      4,
    ]);
  });

  it('refuses a task at once when its queue is full, and takes one again once a place is free', async () => {
    const full = new Error('full');
    const limit = new ConcurrencyLimit(1, 1, () => full);
    let release = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const running = limit.run(() => gate.then(() => 'running'));
    const waiting = limit.run(async () => 'waited');
    await expect(limit.run(async () => 'refused')).rejects.toBe(full);
    release();
    expect(await Promise.all([running, waiting])).toEqual(['running', 'waited']);
    expect(await limit.run(async () => 'after')).toBe('after');
  });
});
