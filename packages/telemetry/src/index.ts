export * from './fast-histogram';
export * from './logger';
export * from './metrics';
export * from './tracing';
