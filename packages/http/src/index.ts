export type { ZodTypeProvider } from 'fastify-type-provider-zod';
export * from './app';
export * from './auth';
export * from './config';
export * from './host';
export * from './operations';
export * from './problem';
export * from './service';
export * from './standalone';
