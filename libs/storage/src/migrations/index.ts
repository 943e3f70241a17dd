import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';

/** In order; never edit a migration that has shipped, add a new one. */
export const MIGRATIONS = [InitialSchema1763800000000];
