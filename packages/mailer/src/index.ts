export * from './mailbox-table';
export * from './mailer';
