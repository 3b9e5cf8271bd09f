import type { Principal } from '@echoplex/http';
import type { Channel } from './channel';
import type { EventDirectory } from './event-directory';

/**
 * Who may listen where. An event's public feed follows the API's rule for reading the event:
 * published or cancelled for anyone, a draft for its owner only. Events this instance has not seen
 * are refused like other people's drafts, so a subscription never reveals whether an event exists.
 */
export function mayListen(channel: Channel, principal: Principal | null, directory: EventDirectory): boolean {
  if (channel.kind === 'user') return principal?.userId === channel.id;
  const event = directory.get(channel.id);
  if (!event) return false;
  const isOwner = principal !== null && event.organizerId === principal.userId;
  if (channel.kind === 'organizer') return isOwner;
  return event.status === 'published' || event.status === 'cancelled' || (isOwner && event.status !== 'deleted');
}
