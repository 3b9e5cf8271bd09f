export * from './config';
export * from './dev-mailbox';
export * from './mailer';
