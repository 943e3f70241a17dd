export * from './statistical-table.js';
export * from './primary-suppression.js';
export * from './secondary-suppression.js';
export * from './audit.js';
export * from './cell-key.js';
