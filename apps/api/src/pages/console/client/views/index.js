// The console's views, in menu order. A new panel is one more entry here: { id, label (an i18n key), adminOnly?, component }.
import { BatchesView } from './batches.js';
import { ConnectorView } from './connector.js';
import { LiveView } from './live.js';
import { OverviewView } from './overview.js';
import { ReviewView } from './review.js';
import { SourcesView } from './sources.js';
import { WebhooksView } from './webhooks.js';

export const VIEWS = [
  { id: 'overview', label: 'nav.overview', component: OverviewView },
  { id: 'sources', label: 'nav.sources', component: SourcesView },
  { id: 'connector', label: 'nav.connector', component: ConnectorView },
  { id: 'batches', label: 'nav.batches', component: BatchesView },
  { id: 'review', label: 'nav.review', adminOnly: true, component: ReviewView },
  { id: 'live', label: 'nav.live', component: LiveView },
  // Webhooks belong to consumers (calendar platforms), not to a vendor's source: operators only.
  { id: 'webhooks', label: 'nav.webhooks', adminOnly: true, component: WebhooksView },
];
