export * from './mapped-item.js';
export * from './registry.js';
