export * from './dcat-catalogue.js';
