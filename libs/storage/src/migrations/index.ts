import { InitialSchema1763800000000 } from './1763800000000-initial-schema.js';
import { Connectors1764600000000 } from './1764600000000-connectors.js';
import { Reconciliation1764800000000 } from './1764800000000-reconciliation.js';
import { Feeds1765000000000 } from './1765000000000-feeds.js';
import { Webhooks1765100000000 } from './1765100000000-webhooks.js';
import { Participation1765200000000 } from './1765200000000-participation.js';
import { Search1765300000000 } from './1765300000000-search.js';
import { ConsoleIndexes1765600000000 } from './1765600000000-console-indexes.js';
import { SourceIris1765700000000 } from './1765700000000-source-iris.js';
import { ParticipationVersion1765800000000 } from './1765800000000-participation-version.js';
import { SearchAccelerators1765850000000 } from './1765850000000-search-accelerators.js';
import { SearchOrder1765870000000 } from './1765870000000-search-order.js';
import { WebhookRuns1765900000000 } from './1765900000000-webhook-runs.js';
import { ParticipationRollups1766000000000 } from './1766000000000-participation-rollups.js';
import { WebhookBatches1766050000000 } from './1766050000000-webhook-batches.js';
import { SearchColumnsCost1766100000000 } from './1766100000000-search-columns-cost.js';
import { SearchFoldOnce1766200000000 } from './1766200000000-search-fold-once.js';

/** In order; never edit a migration that has shipped, add a new one. */
export const MIGRATIONS = [
  InitialSchema1763800000000,
  Connectors1764600000000,
  Reconciliation1764800000000,
  Feeds1765000000000,
  Webhooks1765100000000,
  Participation1765200000000,
  Search1765300000000,
  ConsoleIndexes1765600000000,
  SourceIris1765700000000,
  ParticipationVersion1765800000000,
  SearchAccelerators1765850000000,
  SearchOrder1765870000000,
  WebhookRuns1765900000000,
  ParticipationRollups1766000000000,
  WebhookBatches1766050000000,
  SearchColumnsCost1766100000000,
  SearchFoldOnce1766200000000,
];
