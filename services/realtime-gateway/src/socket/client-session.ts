import type { TokenVerifier } from '@echoplex/http';
import type { RawData } from 'ws';
import { type Channel, parseChannel } from '../model/channel';
import { authenticate } from './access-token';
import type { ChannelHub, ChannelMessage } from './channel-hub';
import type { ClientConnection } from './client-connection';
import { ClientMessage, type ErrorCode, type ErrorFrame, errorFrame } from './client-protocol';

const unknownChannel = 'Channels are event:<id>, organizer:<id> and user:<id>.';

export interface ChannelDirectory {
  mayListen(channel: Channel, client: ClientConnection): boolean;
  /** What a new subscriber gets first: the event's snapshot, the organizer's totals. */
  initialMessages(channel: Channel): ChannelMessage[];
  /** The last subscriber left. */
  emptied(channel: string): void;
}

export interface ClientSessionOptions {
  hub: ChannelHub;
  verifier: TokenVerifier;
  channels: ChannelDirectory;
  maxSubscriptionsPerSocket: number;
}

/** The protocol of one client: authenticate, subscribe, unsubscribe. */
export class ClientSession {
  constructor(private readonly options: ClientSessionOptions) {}

  async receive(client: ClientConnection, raw: RawData, isBinary: boolean): Promise<void> {
    if (isBinary) return this.fail(client, 'validation_failed', 'Send JSON text frames.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString());
    } catch {
      return this.fail(client, 'validation_failed', 'The frame is not JSON.');
    }
    const result = ClientMessage.safeParse(parsed);
    if (!result.success) {
      return this.fail(
        client,
        'validation_failed',
        'Expected {op:"subscribe"|"unsubscribe", channel} or {op:"auth", token}.',
      );
    }
    const message = result.data;
    if (message.op === 'auth') return this.authenticate(client, message.token);
    if (message.op === 'subscribe') return this.subscribe(client, message.channel);
    return this.unsubscribe(client, message.channel);
  }

  /**
   * The token ran out or its session ended: the client keeps its public channels and loses the
   * private ones until it re-authenticates.
   */
  expire(
    client: ClientConnection,
    detail = 'The access token expired; send {op:"auth", token} and subscribe again.',
  ): void {
    client.principal = null;
    client.principalExpiresAt = null;
    for (const name of this.privateChannels(client)) {
      this.leave(client, name);
      this.fail(client, 'unauthorized', detail, name);
    }
  }

  leaveAll(client: ClientConnection): void {
    for (const name of this.options.hub.removeAll(client)) this.options.channels.emptied(name);
  }

  private async authenticate(client: ClientConnection, token: string): Promise<void> {
    const identity = await authenticate(this.options.verifier, token);
    if (!identity) return this.fail(client, 'unauthorized', 'The access token is invalid or expired.');
    if (client.principal && client.principal.userId !== identity.principal.userId) {
      for (const name of this.privateChannels(client)) {
        this.leave(client, name);
        this.options.hub.sendTo(client, { channel: name, type: 'unsubscribed' });
      }
    }
    client.principal = identity.principal;
    client.principalExpiresAt = identity.expiresAt;
    this.options.hub.sendTo(client, {
      type: 'authenticated',
      data: { userId: identity.principal.userId, role: identity.principal.role },
    });
  }

  private subscribe(client: ClientConnection, requested: string): void {
    const channel = parseChannel(requested);
    const refusal = this.refusal(client, channel, requested);
    if (refusal || !channel) {
      this.options.hub.sendTo(client, refusal ?? errorFrame('validation_failed', undefined, requested));
      return;
    }
    const { hub, channels } = this.options;
    hub.add(client, channel.name, channel.kind);
    hub.sendTo(client, { channel: channel.name, type: 'subscribed' });
    for (const message of channels.initialMessages(channel)) hub.sendTo(client, message, channel.kind);
  }

  private refusal(client: ClientConnection, channel: Channel | undefined, requested: string): ErrorFrame | undefined {
    if (!channel) return errorFrame('validation_failed', unknownChannel, requested);
    const limit = this.options.maxSubscriptionsPerSocket;
    if (!client.subscriptions.has(channel.name) && client.subscriptions.size >= limit) {
      return errorFrame('too_many_subscriptions', `At most ${limit} channels per connection.`, requested);
    }
    if (!this.options.channels.mayListen(channel, client)) return errorFrame('forbidden', undefined, requested);
    return undefined;
  }

  private unsubscribe(client: ClientConnection, requested: string): void {
    const channel = parseChannel(requested);
    if (!channel) {
      this.fail(client, 'validation_failed', unknownChannel, requested);
      return;
    }
    this.leave(client, channel.name);
    this.options.hub.sendTo(client, { channel: channel.name, type: 'unsubscribed' });
  }

  private leave(client: ClientConnection, name: string): void {
    if (this.options.hub.remove(client, name)) this.options.channels.emptied(name);
  }

  private privateChannels(client: ClientConnection): string[] {
    return [...client.subscriptions].filter((name) => !name.startsWith('event:'));
  }

  private fail(client: ClientConnection, code: ErrorCode, detail?: string, channel?: string): void {
    this.options.hub.sendTo(client, errorFrame(code, detail, channel));
  }
}
