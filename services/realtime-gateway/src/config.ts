import { z } from 'zod';

/** Sale-day limits of the WebSocket endpoint; every one has a default that suits production. */
export interface RealtimeOptions {
  /**
   * Origins allowed to open a socket (`*` allows any). Empty: the page must come from the host the
   * socket connects to, or from PUBLIC_URL. Clients that send no Origin (not browsers) are allowed.
   */
  allowedOrigins: string[];
  maxConnections: number;
  /**
   * Open sockets one client address may hold, so a few machines cannot take every connection.
   * Generous, because a venue's or a carrier's NAT puts many browsers behind one address; off with
   * RATE_LIMITS=off like every other per-client limit.
   */
  maxConnectionsPerAddress: number;
  maxSubscriptionsPerSocket: number;
  /** Largest frame a client may send; subscribe and auth messages are far smaller. */
  maxPayloadBytes: number;
  /** A client whose unsent backlog exceeds this is dropped instead of growing the process's memory. */
  maxBufferedBytes: number;
  heartbeatMs: number;
  /**
   * Frames (messages and pings) one client may send: a sustained rate and a burst. Past the limit a
   * frame is refused with `rate_limited`; a client that sends another whole burst regardless is
   * closed with 1008, so one flooding socket cannot take the event loop from everybody else.
   */
  inboundPerSecond: number;
  inboundBurst: number;
  /**
   * Sockets one message is handed to before the fan-out yields to the event loop, so that a channel
   * with thousands of subscribers does not hold up heartbeats, new connections or other channels.
   */
  fanoutChunkSize: number;
  /**
   * The most of the process's time one ticket type's (or one event's sales totals') updates may
   * take to fan out: past it, the coalescing window of that key grows, so a hot channel with many
   * thousands of subscribers gets fewer, always current, updates and registrations keep their share
   * of the event loop (in embedded mode they share it with the gateway).
   */
  fanoutShare: number;
  /** Changes of one ticket type within this window collapse into one message with the latest value. */
  coalesceMs: number;
  /**
   * Per-registration and per-payment messages older than this at start are replayed into the totals
   * but not pushed: a client connecting during the replay should not receive history as news.
   */
  liveWindowMs: number;
}

export const defaultRealtimeOptions: RealtimeOptions = {
  allowedOrigins: [],
  maxConnections: 50_000,
  maxConnectionsPerAddress: 100,
  maxSubscriptionsPerSocket: 50,
  maxPayloadBytes: 16 * 1024,
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  inboundPerSecond: 20,
  inboundBurst: 100,
  fanoutChunkSize: 500,
  fanoutShare: 0.5,
  coalesceMs: 50,
  liveWindowMs: 30_000,
};

const list = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .optional();

/** The realtime gateway's own settings, parsed by `main.ts` (and the embedded gateway) only. */
export const realtimeConfig = z.object({
  REALTIME_ALLOWED_ORIGINS: list,
  REALTIME_MAX_CONNECTIONS: z.coerce.number().int().positive().optional(),
  REALTIME_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().positive().optional(),
  REALTIME_MAX_SUBSCRIPTIONS: z.coerce.number().int().positive().optional(),
  REALTIME_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(256).optional(),
  REALTIME_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).optional(),
  REALTIME_HEARTBEAT_MS: z.coerce.number().int().min(100).optional(),
  REALTIME_COALESCE_MS: z.coerce.number().int().min(0).max(1000).optional(),
  REALTIME_INBOUND_PER_SECOND: z.coerce.number().positive().optional(),
  REALTIME_INBOUND_BURST: z.coerce.number().int().min(1).optional(),
  REALTIME_FANOUT_CHUNK: z.coerce.number().int().min(1).optional(),
  REALTIME_FANOUT_SHARE: z.coerce.number().min(0.05).max(1).optional(),
});
export type RealtimeConfig = z.infer<typeof realtimeConfig>;

export function realtimeOptionsFrom(config: RealtimeConfig): Partial<RealtimeOptions> {
  const options: Partial<RealtimeOptions> = {
    allowedOrigins: config.REALTIME_ALLOWED_ORIGINS,
    maxConnections: config.REALTIME_MAX_CONNECTIONS,
    maxConnectionsPerAddress: config.REALTIME_MAX_CONNECTIONS_PER_IP,
    maxSubscriptionsPerSocket: config.REALTIME_MAX_SUBSCRIPTIONS,
    maxPayloadBytes: config.REALTIME_MAX_PAYLOAD_BYTES,
    maxBufferedBytes: config.REALTIME_MAX_BUFFERED_BYTES,
    heartbeatMs: config.REALTIME_HEARTBEAT_MS,
    coalesceMs: config.REALTIME_COALESCE_MS,
    inboundPerSecond: config.REALTIME_INBOUND_PER_SECOND,
    inboundBurst: config.REALTIME_INBOUND_BURST,
    fanoutChunkSize: config.REALTIME_FANOUT_CHUNK,
    fanoutShare: config.REALTIME_FANOUT_SHARE,
  };
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
