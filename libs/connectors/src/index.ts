export * from './connector.js';
export * from './http-client.js';
export * from './registry.js';
