// GraphiQL 5 for the platform's own /graphql, bundled by esbuild from node_modules (see graphiql-bundle.ts).
// Nothing is loaded from elsewhere: Monaco's workers are bundled beside this file and served by the api.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createClient } from 'graphql-ws';
import React from 'react';
import { createRoot } from 'react-dom/client';
import 'graphiql/style.css';

const assets = new URL('./', import.meta.url);
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(name, assets), { type: 'module' });
  },
};

const endpoint = new URL('/graphql', window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  wsClient: createClient({ url: socket.href, lazy: true, retryAttempts: 5 }),
});

// ?query=...&variables=... open GraphiQL on that operation (links from the console and the docs).
const parameters = new URLSearchParams(window.location.search);
const defaultQuery = `# Cultuurdata platform GraphQL: ${endpoint.href}
# Subscriptions run over graphql-ws on the same URL.
# Ctrl-Enter runs an operation; the book icon opens the docs.
query UpcomingActivities {
  activities(first: 5, filter: { from: "${new Date().toISOString()}" }) {
    totalCount
    edges { node { id title performances { id start availability { capacity remaining level } } } }
  }
}

subscription SeatChanges {
  availabilityChanged { activityId performanceId capacity remaining level changedAt }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    initialQuery: parameters.get('query') ?? undefined,
    initialVariables: parameters.get('variables') ?? undefined,
    defaultEditorToolsVisibility: parameters.has('variables'),
  }),
);
