export * from './consumer';
export * from './outbox';
export * from './relay';
export * from './tables';
export * from './transport';
export * from './transports/in-process';
export * from './transports/kafka';
