export * from './feed-kinds.js';
export * from './rpde-feed.js';
export * from './ldes-rdf.js';
export * from './ldes-stream.js';
export * from './feeds.module.js';
