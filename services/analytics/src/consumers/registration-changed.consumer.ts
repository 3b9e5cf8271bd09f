import type { CloudEvent, RegistrationHeld } from '@echoplex/contracts';
import type { Transaction } from '@echoplex/db';
import type { AnalyticsDb, RegistrationStatus } from '../db/schema';
import { applyRegistrationFact, registrationContribution } from '../reporting/registration-state';
import { subtractDelta } from '../reporting/stats-delta';
import { keepRegistration, registrationOf } from '../repositories/registration.repository';
import { addStatsDelta, type CounterTarget } from '../repositories/stats.repository';

type RegistrationFacts = Omit<RegistrationHeld, 'expiresAt'>;

/**
 * held → pending, confirmed, cancelled, expired: the registration row keeps the latest state by
 * `occurredAt`, and the counters move by (its contribution now) − (its contribution before), so
 * redelivered and out-of-order facts leave the figures exactly as if they had arrived in order once.
 */
export function recordRegistrationChanged(target: CounterTarget, status: RegistrationStatus) {
  return async (event: CloudEvent<RegistrationFacts>, trx: Transaction<AnalyticsDb>) => {
    const occurredAt = new Date(event.data.occurredAt);
    const before = await registrationOf(trx, event.data.registrationId, event.data.eventId);
    const after = applyRegistrationFact(before, { ...event.data, status, occurredAt });
    keepRegistration(trx, after);
    const delta = subtractDelta(registrationContribution(after), registrationContribution(before));
    addStatsDelta(trx, target, { ...delta, asOf: occurredAt, currency: event.data.currency });
  };
}
