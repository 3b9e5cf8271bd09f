import './provided';

export * from './kafka';
export * from './postgres';
