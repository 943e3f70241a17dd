export * from './shacl-validator.js';
export * from './messages.js';
