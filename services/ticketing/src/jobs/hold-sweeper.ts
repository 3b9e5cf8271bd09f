import { cancelLeftoversOfCancelledEvents, releaseExpiredHolds } from '../commands/release-expired-holds';
import type { TicketingContext } from '../ticketing-context';

export interface HoldSweeper {
  stop(): Promise<void>;
}

const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;
const housekeepingEveryMs = 10 * 60 * 1000;

/**
 * Runs in every instance: expires holds whose time is up (and cancels registrations a cancelled
 * event's consumer had to skip), then sleeps `intervalMs`. A hold therefore outlives its
 * `expiresAt` by at most about one interval. Old idempotency keys are dropped now and then.
 */
export function startHoldSweeper(ctx: TicketingContext, intervalMs: number): HoldSweeper {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let lastHousekeeping = 0;

  const sweep = async () => {
    try {
      await releaseExpiredHolds(ctx);
      await cancelLeftoversOfCancelledEvents(ctx);
      if (Date.now() - lastHousekeeping > housekeepingEveryMs) {
        lastHousekeeping = Date.now();
        await ctx.idempotency.deleteOlderThan(new Date(ctx.clock().getTime() - idempotencyKeyLifetimeMs));
      }
    } catch (error) {
      ctx.log.warn({ err: error }, 'sweeping expired holds failed; retrying next round');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = sweep().finally(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
