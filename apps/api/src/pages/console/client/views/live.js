// Upcoming performances with their seats, updating by themselves: the graphql-ws subscription
// availabilityChanged pushes every change; the list itself is read again every minute.
import { createClient } from 'graphql-ws';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ProblemNotice, StatusPill, formatNumber, formatTime, html, useConsole, useResource } from '../lib.js';

const UPCOMING = `query Upcoming($from: DateTime!, $source: String, $language: String!) {
  activities(first: 50, filter: { from: $from, source: $source }, language: $language) {
    totalCount
    edges { node { id title source place { name } performances { id externalId start status availability { capacity remaining level changedAt } } } }
  }
}`;
const CHANGES = 'subscription { availabilityChanged { activityId performanceId capacity remaining level changedAt source } }';

export function LiveView() {
  const { t, lang, api, me, sourceId } = useConsole();
  const [allSources, setAllSources] = useState(me.role === 'admin');
  const source = allSources ? null : sourceId;
  const upcoming = useResource(() => api.graphql(UPCOMING, { from: new Date().toISOString(), source, language: lang }), [source, lang], 60000);
  const [changes, setChanges] = useState({});
  const [connected, setConnected] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const rows = useRef([]);
  rows.current = (upcoming.data?.activities.edges ?? []).flatMap(({ node }) =>
    node.performances.filter((performance) => new Date(performance.start) >= new Date(Date.now() - 3 * 3600_000)).map((performance) => ({ activity: node, performance })),
  );
  useEffect(() => {
    const url = new URL('/graphql', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const client = createClient({ url: url.href, lazy: false, retryAttempts: Infinity, shouldRetry: () => true });
    const offs = [client.on('connected', () => setConnected(true)), client.on('closed', () => setConnected(false))];
    const dispose = client.subscribe(
      { query: CHANGES },
      {
        next: ({ data }) => {
          const change = data?.availabilityChanged;
          if (!change) return;
          const row = rows.current.find((entry) => entry.performance.id === change.performanceId);
          if (!row) return;
          setChanges((previous) => ({ ...previous, [change.performanceId]: { ...change, receivedAt: Date.now() } }));
          setAnnouncement(t('live.announce', { title: row.activity.title, remaining: change.remaining ?? '—' }));
        },
        error: () => setConnected(false),
        complete: () => undefined,
      },
    );
    return () => {
      dispose();
      offs.forEach((off) => off());
      void client.dispose();
    };
  }, []);
  const list = rows.current.sort((a, b) => new Date(a.performance.start) - new Date(b.performance.start));
  return html`<div>
    <h2>${t('live.title')}</h2>
    <div class="row" style="margin-bottom:1rem">
      <span><span class=${`live-dot ${connected ? 'on' : ''}`} aria-hidden="true"></span>${connected ? t('live.connected') : t('live.connecting')}</span>
      <span class="spacer"></span>
      ${me.role === 'admin' && html`<label><input type="checkbox" checked=${allSources} onChange=${(event) => setAllSources(event.target.checked)} /> ${t('live.allSources')}</label>`}
    </div>
    <p class="visually-hidden" aria-live="polite">${announcement}</p>
    <${ProblemNotice} error=${upcoming.error} />
    <section class="card" aria-labelledby="upcoming-title">
      <h3 id="upcoming-title">${t('live.upcoming', { count: list.length })}</h3>
      ${list.length === 0
        ? html`<p class="muted">${upcoming.loading ? t('loading') : t('live.none')}</p>`
        : html`<table>
            <thead><tr><th scope="col">${t('live.start')}</th><th scope="col">${t('live.activity')}</th><th scope="col">${t('live.place')}</th><th scope="col">${t('live.source')}</th>
              <th scope="col" class="num">${t('live.remaining')}</th><th scope="col" class="num">${t('live.capacity')}</th><th scope="col">${t('live.level')}</th><th scope="col">${t('live.changed')}</th></tr></thead>
            <tbody>${list.map(({ activity, performance }) => {
              const change = changes[performance.id];
              const availability = change ?? performance.availability ?? {};
              return html`<tr key=${`${performance.id}:${change?.receivedAt ?? 0}`} class=${change ? 'flash' : ''} data-performance=${performance.id}>
                <td class="nowrap">${formatTime(performance.start, lang, true, false)}</td>
                <td>${activity.title} ${performance.status && performance.status !== 'scheduled' && performance.status !== 'Scheduled' ? html`<${StatusPill} status=${performance.status} />` : ''}</td>
                <td>${activity.place?.name ?? '—'}</td>
                <td class="mono">${change?.source ?? activity.source}</td>
                <td class="num" data-field="remaining"><strong>${availability.remaining === null || availability.remaining === undefined ? '—' : formatNumber(availability.remaining, lang)}</strong></td>
                <td class="num">${availability.capacity === null || availability.capacity === undefined ? '—' : formatNumber(availability.capacity, lang)}</td>
                <td>${availability.level ? html`<${StatusPill} status=${availability.level} />` : '—'}</td>
                <td class="nowrap">${formatTime(availability.changedAt, lang)}</td>
              </tr>`;
            })}</tbody>
          </table>`}
    </section>
  </div>`;
}
