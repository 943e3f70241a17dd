export * from './disclosure/index.js';
export * from './geography/belgian-geography.js';
export * from './participation/age-band.js';
export * from './participation/participation.js';
export * from './participation/strip.js';
export * from './participation/rdf-participation.js';
export * from './statistics/protect-participation.js';
export * from './cube/participation-cube.js';
