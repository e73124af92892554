export * from './partition.js';
export * from './files.js';
export * from './envelope.js';
export * from './queues.js';
export * from './messages.js';
export * from './parsed-row.js';
export * from './documents.js';
export * from './reporting.js';
