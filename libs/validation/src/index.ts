export * from './shacl-validator.js';
export * from './messages.js';
export { CompiledShaclValidator } from './compiled/compiled-validator.js';
export { UnsupportedShapeError } from './compiled/shape-compiler.js';
