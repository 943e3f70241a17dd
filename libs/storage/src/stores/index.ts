export * from './activity-query.store.js';
export * from './activity.store.js';
export * from './archive.store.js';
export * from './availability.store.js';
export * from './batch.store.js';
export * from './change-log.store.js';
export * from './source.store.js';
export * from './connector.store.js';
