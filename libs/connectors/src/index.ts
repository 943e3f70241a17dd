export * from './connector.js';
export * from './http-client.js';
export * from './mapped-item.js';
export * from './push-mappers.js';
export * from './registry.js';
