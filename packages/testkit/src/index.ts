import './provided';

export * from './eventually';
export * from './kafka';
export * from './metrics';
export * from './postgres';
export * from './process';
export * from './service-harness';
export * from './spans';
