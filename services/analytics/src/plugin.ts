import type { Subscription } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import type { HttpApp, ServiceContext, ServiceDefinition } from '@echoplex/http';
import { PageViewAdmission } from './commands/page-view-admission';
import { PageViewPublisher } from './commands/page-view-publisher';
import { followEventIds } from './consumers/event-ids.consumer';
import { reportingGroup, startReportingConsumers } from './consumers/reporting-consumers';
import { migrations } from './db/migrations';
import type { AnalyticsDb } from './db/schema';
import { ReportRepository } from './repositories/report.repository';
import { eventSummaryRoute } from './routes/event-summary.route';
import { eventTimeseriesRoute } from './routes/event-timeseries.route';
import { overviewRoute } from './routes/overview.route';
import { recordPageViewRoute } from './routes/record-page-view.route';

export { pageViewIngestPath } from './routes/record-page-view.route';

export const analyticsSchema = 'analytics';

export interface AnalyticsOptions {
  /** Kafka consumer group (and inbox key) of the reporting consumers. */
  consumerGroup?: string;
  /** Group members in this process; see ReportingConsumerOptions.members. */
  consumerMembers?: number;
  /** How long a page view of an event not known yet waits for it; see PageViewAdmission. */
  pageViewHoldMs?: number;
}

export function createAnalyticsService(options: AnalyticsOptions = {}): ServiceDefinition {
  const group = options.consumerGroup ?? reportingGroup;
  const members = options.consumerMembers ?? 3;

  async function analyticsPlugin(app: HttpApp, ctx: ServiceContext): Promise<void> {
    const db = ctx.db as Kysely<AnalyticsDb>;
    const reports = new ReportRepository(db, analyticsSchema);
    const publisher = new PageViewPublisher({
      transport: ctx.transport,
      log: ctx.log,
      registry: ctx.registry,
      clock: ctx.clock,
    });
    const admission = new PageViewAdmission({ publisher, registry: ctx.registry, holdMs: options.pageViewHoldMs });
    let consumers: Subscription | undefined;
    let eventIds: Subscription | undefined;

    recordPageViewRoute(app, admission, { rateLimited: ctx.config.RATE_LIMITS === 'on', clock: ctx.clock });
    eventSummaryRoute(app, reports);
    eventTimeseriesRoute(app, reports, ctx.clock);
    overviewRoute(app, reports, ctx.clock);

    app.addHook('onReady', async () => {
      eventIds = await followEventIds(ctx.transport, db, admission);
      consumers = await startReportingConsumers({
        transport: ctx.transport,
        kysely: ctx.db,
        schema: analyticsSchema,
        group,
        members,
        log: ctx.log,
      });
    });
    app.addHook('onClose', async () => {
      await consumers?.stop();
      await eventIds?.stop();
      admission.close();
      await publisher.close();
    });
  }

  return {
    name: 'analytics',
    schema: analyticsSchema,
    migrations,
    routes: ['/api/analytics'],
    plugin: analyticsPlugin,
  };
}

export const analyticsService: ServiceDefinition = createAnalyticsService();
