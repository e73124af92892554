export * from './support/processes.js';
export * from './support/pipeline.js';
export * from './upstream-sim/index.js';
