export * from './search-parameters.js';
