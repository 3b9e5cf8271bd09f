import { randomUUID } from 'node:crypto';
import type { Transport } from '@echoplex/bus';
import type { Kysely } from '@echoplex/db';
import { clientAddressResolver, type HttpApp, type ServiceContext, type ServiceDefinition } from '@echoplex/http';
import { defaultRealtimeOptions, type RealtimeOptions } from './config';
import { realtimeHandlers } from './consumers/realtime-handlers';
import { ReplayLog } from './consumers/replay-log';
import { followTopics } from './consumers/topic-follower';
import { migrations } from './db/migrations';
import type { RealtimeDb } from './db/schema';
import { EventChannelFeed } from './feeds/event-channel.feed';
import { OrganizerChannelFeed } from './feeds/organizer-channel.feed';
import { UserChannelFeed } from './feeds/user-channel.feed';
import { createRealtimeMetrics } from './metrics';
import { parseChannel } from './model/channel';
import { mayListen } from './model/channel-access';
import { ChannelVersions } from './model/channel-versions';
import { EventDirectory } from './model/event-directory';
import { SalesLedger } from './model/sales-ledger';
import { TicketBoard } from './model/ticket-board';
import { ChannelHub } from './socket/channel-hub';
import { attachWebSocketEndpoint } from './socket/websocket-endpoint';

/** How often sales windows are re-checked for the events clients watch. */
const statusClockMs = 1_000;

function realtimePlugin(overrides: Partial<RealtimeOptions>) {
  return async (app: HttpApp, ctx: ServiceContext): Promise<void> => {
    const options: RealtimeOptions = { ...defaultRealtimeOptions, ...overrides };
    if (ctx.config.RATE_LIMITS === 'off') options.maxConnectionsPerAddress = Number.POSITIVE_INFINITY;
    const metrics = createRealtimeMetrics(ctx.registry);
    // The host's verifier: it learns which sessions ended, and tells the endpoint (session-revocation.ts).
    const { verifier } = ctx;

    const board = new TicketBoard();
    const directory = new EventDirectory();
    const ledger = new SalesLedger();
    const versions = new ChannelVersions();
    const hub = new ChannelHub(metrics, {
      chunkSize: options.fanoutChunkSize,
      fanoutShare: options.fanoutShare,
      maxBatchBytes: Math.floor(options.maxBufferedBytes / 4),
    });
    const eventFeed = new EventChannelFeed({ board, directory, hub, versions, coalesceMs: options.coalesceMs });
    const organizerFeed = new OrganizerChannelFeed({ ledger, hub, versions, coalesceMs: options.coalesceMs });
    const userFeed = new UserChannelFeed({ ledger, hub, versions });

    attachWebSocketEndpoint(app, {
      path: '/ws',
      options,
      publicUrl: ctx.config.PUBLIC_URL,
      clientAddress: clientAddressResolver(ctx.config.TRUST_PROXY),
      verifier,
      hub,
      metrics,
      log: ctx.log,
      channels: {
        mayListen: (channel, client) => mayListen(channel, client.principal, directory),
        initialMessages: (channel) => {
          if (channel.kind === 'event') return [eventFeed.snapshot(channel.id)];
          if (channel.kind === 'organizer') return [organizerFeed.totals(channel.id)];
          return [];
        },
        emptied: (name) => {
          const channel = parseChannel(name);
          if (channel?.kind === 'user') userFeed.forget(channel.id);
        },
      },
    });

    const replayLog =
      ctx.transport.kind === 'in-process'
        ? new ReplayLog(ctx.db as Kysely<RealtimeDb>, (error) =>
            ctx.log.error({ err: error }, 'replay log write failed'),
          )
        : undefined;
    // Until the history is replayed, snapshots would be empty: load balancers must send clients elsewhere.
    let replayed = false;
    ctx.addReadinessCheck('realtime-replay', async () => {
      if (!replayed) throw new Error('replaying the topics');
    });
    const subscription = await followTopics({
      transport: ctx.transport,
      group: instanceGroup(ctx.transport),
      handlers: realtimeHandlers({ ledger, eventFeed, organizerFeed, userFeed }),
      liveOnly: ['payments.payment.v1'],
      startedAt: ctx.clock().getTime(),
      liveWindowMs: options.liveWindowMs,
      metrics,
      log: ctx.log,
      replayLog,
      onCaughtUp: () => {
        replayed = true;
        ctx.log.info('realtime read model caught up with the topics');
      },
    });
    const statusClock = setInterval(() => eventFeed.tick(), statusClockMs);
    statusClock.unref();

    app.addHook('onClose', async () => {
      clearInterval(statusClock);
      await subscription.stop();
      await replayLog?.flush();
      eventFeed.close();
      organizerFeed.close();
    });
  };
}

/**
 * A Kafka group of its own per instance, so each one receives every event. The in-process bus keeps
 * a queue per group for as long as the process lives, so there one fixed name is reused.
 */
function instanceGroup(transport: Transport): string {
  return transport.kind === 'kafka' ? `realtime-gateway-${randomUUID()}` : 'realtime-gateway';
}

/** The service with its sale-day limits; `main.ts` passes the ones read from the environment. */
export function createRealtimeService(options: Partial<RealtimeOptions> = {}): ServiceDefinition {
  return {
    name: 'realtime-gateway',
    schema: 'realtime',
    migrations,
    routes: ['/ws'],
    plugin: realtimePlugin(options),
  };
}

export const realtimeService: ServiceDefinition = createRealtimeService();
