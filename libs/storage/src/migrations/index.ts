import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { Connectors1764600000000 } from './1764600000000-connectors.js';
import { Reconciliation1764800000000 } from './1764800000000-reconciliation.js';
import { Participation1765200000000 } from './1765200000000-participation.js';

/** In order; never edit a migration that has shipped, add a new one. */
export const MIGRATIONS = [InitialSchema1763800000000, Connectors1764600000000, Reconciliation1764800000000, Participation1765200000000];
