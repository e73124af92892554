export * from './isolation.js';
export * from './queue-probe.js';
