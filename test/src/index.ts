export * from './support/processes.js';
export * from './support/pipeline.js';
