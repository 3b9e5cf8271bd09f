export type ChannelKind = 'event' | 'organizer' | 'user';

export interface Channel {
  /** The normalised name (lower-case id) that subscriptions and messages use. */
  name: string;
  kind: ChannelKind;
  id: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const kinds: readonly ChannelKind[] = ['event', 'organizer', 'user'];

/** `event:<eventId>`, `organizer:<eventId>` or `user:<userId>`; anything else is not a channel. */
export function parseChannel(name: string): Channel | undefined {
  const separator = name.indexOf(':');
  if (separator < 0) return undefined;
  const kind = name.slice(0, separator) as ChannelKind;
  const id = name.slice(separator + 1).toLowerCase();
  if (!kinds.includes(kind) || !uuid.test(id)) return undefined;
  return { name: `${kind}:${id}`, kind, id };
}

export const channelOf = {
  event: (eventId: string) => `event:${eventId}`,
  organizer: (eventId: string) => `organizer:${eventId}`,
  user: (userId: string) => `user:${userId}`,
};
