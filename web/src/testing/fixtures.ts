import type { EchoEvent, Registration, TicketType } from '../api/types';
import { organizer } from './render-with-app';

export const draftEvent: EchoEvent = {
  id: '0190a0b0-0000-7000-8000-0000000000e1',
  organizerId: organizer.id,
  name: 'Jazz Night',
  description: 'Live jazz.',
  startTime: '2027-03-01T18:00:00.000Z',
  endTime: '2027-03-01T23:00:00.000Z',
  timezone: 'Europe/Berlin',
  location: 'Blue Hall',
  city: 'Berlin',
  country: 'DE',
  online: false,
  capacity: 100,
  categories: ['music'],
  imageUrl: null,
  status: 'draft',
  soldOut: false,
  publishedAt: null,
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
};

export const paidTicket: TicketType = {
  id: '0190a0b0-0000-7000-8000-0000000000b2',
  eventId: draftEvent.id,
  name: 'Standard',
  description: null,
  price: 2500,
  currency: 'eur',
  quantity: 50,
  available: 38,
  salesStart: null,
  salesEnd: null,
  minPerOrder: 1,
  maxPerOrder: 10,
  status: 'on_sale',
};

export const publishedEvent: EchoEvent = {
  ...draftEvent,
  status: 'published',
  publishedAt: '2026-11-02T00:00:00.000Z',
};

export const freeTicket: TicketType = {
  ...paidTicket,
  id: '0190a0b0-0000-7000-8000-0000000000b1',
  name: 'Community',
  price: 0,
  quantity: 10,
  available: 3,
};

export const confirmedRegistration: Registration = {
  id: '0190a0b0-0000-7000-8000-0000000000c1',
  code: 'EPX-7K3Q',
  userId: '0190a0b0-0000-7000-8000-000000000001',
  eventId: draftEvent.id,
  ticketTypeId: paidTicket.id,
  quantity: 1,
  status: 'confirmed',
  amount: 2500,
  currency: 'eur',
  expiresAt: null,
  refundRequested: false,
  tickets: [{ id: '0190a0b0-0000-7000-8000-0000000000d1', code: 'TKT-9F2M-X8', checkedInAt: null }],
  createdAt: '2026-11-03T00:00:00.000Z',
  updatedAt: '2026-11-03T00:00:00.000Z',
};
