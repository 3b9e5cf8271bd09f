export * from './asyncapi';
export * from './cloud-event';
export * from './events/analytics.page-view';
export * from './events/events.event';
export * from './events/identity.user';
export * from './events/payments.payment';
export * from './events/ticketing';
export * from './topics';
