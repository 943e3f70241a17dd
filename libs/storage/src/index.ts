export * from './data-source.js';
export * from './entities/index.js';
export * from './stores/index.js';
export * from './storage.module.js';
export * from './secret-box.js';
