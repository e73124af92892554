export * from './parsed-rows.generator.js';
export * from './artifact.writer.js';
export * from './import-message.js';
export * from './harness.js';
