export * from './prefixes.js';
export * from './vocabulary.js';
export * from './activity-to-rdf.js';
export * from './rdf-to-activity.js';
export * from './serialize.js';
export * from './schema-org-event.js';
export * from './concepts.js';
