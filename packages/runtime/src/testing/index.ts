export * from './isolation.js';
