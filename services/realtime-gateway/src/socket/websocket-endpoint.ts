import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpApp, TokenVerifier } from '@echoplex/http';
import type { Logger } from '@echoplex/telemetry';
import { WebSocket, WebSocketServer } from 'ws';
import type { RealtimeOptions } from '../config';
import type { RealtimeMetrics } from '../metrics';
import { AddressQuota } from './address-quota';
import type { ChannelHub } from './channel-hub';
import { ClientConnection } from './client-connection';
import { errorFrame } from './client-protocol';
import { type ChannelDirectory, ClientSession } from './client-session';
import { endRevokedSessions } from './session-revocation';

export interface WebSocketEndpointOptions {
  path: string;
  options: RealtimeOptions;
  publicUrl?: string;
  /** The client's address of an upgrade request, for the per-address connection limit. */
  clientAddress: (request: IncomingMessage) => string;
  verifier: TokenVerifier;
  hub: ChannelHub;
  channels: ChannelDirectory;
  metrics: RealtimeMetrics;
  log: Logger;
}

/**
 * Serves WebSockets on the HTTP server of whoever hosts the service: the API gateway's server in
 * embedded mode, the service's own when standalone. Upgrades for other paths are left to other
 * handlers; the socket server keeps no list of its own (`clientTracking: false`), this one does.
 */
export function attachWebSocketEndpoint(app: HttpApp, endpoint: WebSocketEndpointOptions): void {
  const { options, hub, metrics, log } = endpoint;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayloadBytes,
    // Compression would cost a deflate per client per message; frames are small JSON.
    perMessageDeflate: false,
    clientTracking: false,
  });
  const session = new ClientSession({
    hub,
    verifier: endpoint.verifier,
    channels: endpoint.channels,
    maxSubscriptionsPerSocket: options.maxSubscriptionsPerSocket,
  });
  const clients = new Set<ClientConnection>();
  const perAddress = new AddressQuota(options.maxConnectionsPerAddress);
  const stopEndingRevokedSessions = endpoint.verifier.revocations.onRevoke((sessionIds) =>
    endRevokedSessions(clients, sessionIds, session),
  );
  const allowedOrigins = new Set(options.allowedOrigins);
  let server: Server | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const originAllowed = (request: IncomingMessage): boolean => {
    const origin = request.headers.origin;
    // Browsers always send Origin; other clients cannot be stopped by it anyway.
    if (!origin) return true;
    if (allowedOrigins.has('*') || allowedOrigins.has(origin)) return true;
    if (allowedOrigins.size > 0) return false;
    if (endpoint.publicUrl && new URL(endpoint.publicUrl).origin === origin) return true;
    try {
      return new URL(origin).host === request.headers.host;
    } catch {
      return false;
    }
  };

  const admitted = (client: ClientConnection): boolean => {
    // Frames already read when the socket started closing are not answered.
    if (client.socket.readyState !== WebSocket.OPEN) return false;
    const admission = client.admit();
    if (admission === 'accepted') return true;
    if (admission === 'refused') {
      hub.sendTo(
        client,
        errorFrame(
          'rate_limited',
          `At most ${options.inboundPerSecond} messages per second; frames are ignored until the client slows down, and the connection closes if it does not.`,
        ),
      );
    }
    if (admission === 'exceeded') client.closeForFlooding();
    return false;
  };

  const connect = (socket: WebSocket, wire: Duplex) => {
    const client = new ClientConnection(
      socket,
      wire,
      options.maxBufferedBytes,
      { perSecond: options.inboundPerSecond, burst: options.inboundBurst },
      (_client, reason) => metrics.clientsDropped.inc({ reason }),
    );
    clients.add(client);
    metrics.connections.set(clients.size);
    socket.on('pong', () => {
      client.alive = true;
    });
    // `ws` answers pings by itself; they still count, or a ping flood would cost nothing to send.
    socket.on('ping', () => admitted(client));
    socket.on('message', (data, isBinary) => {
      client.alive = true;
      if (!admitted(client)) return;
      client.queue = client.queue
        .then(() => session.receive(client, data, isBinary))
        .catch((error) => log.error({ err: error }, 'client message failed'));
    });
    // Oversized frames and protocol violations: ws closes the socket itself, this only keeps the process up.
    socket.on('error', (error) => log.debug({ err: error }, 'websocket error'));
    socket.on('close', () => {
      clients.delete(client);
      metrics.connections.set(clients.size);
      session.leaveAll(client);
    });
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    if (url.pathname !== endpoint.path) {
      // Nobody else takes upgrades on this server: answer instead of leaving the socket hanging.
      if (server && server.listenerCount('upgrade') === 1) refuse(socket, 404, 'Not Found');
      return;
    }
    const onEarlyError = () => socket.destroy();
    socket.on('error', onEarlyError);
    if (!originAllowed(request)) return refuse(socket, 403, 'Forbidden');
    // Refused rather than ignored: a client sending its token in the URL (which proxies and access
    // logs keep) must notice at once, not carry on anonymously.
    if (url.searchParams.has('token')) {
      return refuse(
        socket,
        400,
        'Bad Request',
        'Send the access token as the first message: {"op":"auth","token":"..."}.',
      );
    }
    if (clients.size >= options.maxConnections) return refuse(socket, 503, 'Service Unavailable');
    const address = endpoint.clientAddress(request);
    if (!perAddress.take(address)) {
      return refuse(
        socket,
        429,
        'Too Many Requests',
        `At most ${options.maxConnectionsPerAddress} connections per client address.`,
      );
    }
    // The TCP socket closes however the connection ends, handshake failures included.
    socket.once('close', () => perAddress.release(address));
    socket.off('error', onEarlyError);
    wss.handleUpgrade(request, socket, head, (webSocket) => connect(webSocket, socket));
  };

  const beat = () => {
    const now = Date.now();
    for (const client of clients) {
      if (!client.alive) {
        client.drop('heartbeat');
        continue;
      }
      client.alive = false;
      client.socket.ping();
      if (client.principalExpiresAt !== null && client.principalExpiresAt <= now) session.expire(client);
    }
  };

  app.addHook('onReady', async () => {
    server = app.server;
    server.on('upgrade', onUpgrade);
    heartbeat = setInterval(beat, options.heartbeatMs);
    heartbeat.unref();
  });

  // Before the HTTP server closes: it would otherwise wait for upgraded sockets to end on their own.
  app.addHook('preClose', async () => {
    server?.off('upgrade', onUpgrade);
    stopEndingRevokedSessions();
    if (heartbeat) clearInterval(heartbeat);
    const closing = [...clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.socket.readyState === WebSocket.CLOSED) return resolve();
          client.socket.once('close', () => resolve());
          client.socket.close(1001, 'server shutting down');
        }),
    );
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
    await Promise.race([Promise.all(closing), grace]);
    for (const client of clients) client.socket.terminate();
    wss.close();
  });
}

function refuse(socket: Duplex, status: number, reason: string, detail = reason): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(detail)}\r\n\r\n${detail}`,
  );
}
