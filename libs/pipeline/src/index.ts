export * from './availability.service.js';
export * from './content-hash.js';
export * from './ingest-item.js';
export * from './ingest.service.js';
export * from './payload-reader.js';
export * from './pipeline.module.js';
export * from './problems.js';
export * from './push-format/push-format.js';
