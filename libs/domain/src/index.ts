export * from './activity.js';
export * from './availability.js';
export * from './identity.js';
export * from './problems.js';
export * from './reconciliation.js';
export * from './content-hash.js';
export * from './brussels-time.js';
