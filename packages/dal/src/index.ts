export * from './partitions.repository.js';
export * from './monitor.repository.js';
export * from './jobs.repository.js';
export * from './filerecords.repository.js';
export * from './indexes.js';
export * from './partition-views.repository.js';
export * from './job-views.repository.js';
export * from './filerecord-views.repository.js';
