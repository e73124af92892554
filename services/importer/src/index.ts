export * from './importer.service.js';
export * from './import-partition.handler.js';
export * from './dead-letter.hook.js';
export * from './import-metrics.js';
export * from './adapters/artifact-store.js';
export * from './domain/artifact-rows.js';
export * from './domain/rollup-accumulator.js';
export * from './domain/transaction-doc.js';
