export * from './core.module.js';
export * from './demo-data.js';
export * from './embedded-redis.js';
export * from './local-secret.js';
export * from './quiet-logger.js';
export * from './demo-participation.js';
