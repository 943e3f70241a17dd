// The chosen organisation against the aggregate of its peer group (GET /v1/research/comparators): shown
// only when the group counts enough organisations; both sides protected, withheld figures say so.
import { useState } from 'preact/hooks';
import { CsvButton, Figure, ProblemNotice, codeLabel, downloadCsv, formatMeasure, html, message, selectionQuery, useResearch } from '../lib.js';
import { useResource } from '../common/resource.js';
import { ORDER } from './bars.js';

const PEER_KINDS = ['province', 'region', 'activityType'];
const GROUPINGS = ['ageBand', 'priceCategory', 'channel', 'homeProvince'];
const MEASURES = ['participants', 'tickets', 'visitsPerParticipant'];

function comparatorPath(filters, peers, groupBy, format) {
  const query = selectionQuery({ ...filters, organizer: undefined });
  query.set('organizer', filters.organizer);
  query.set('peers', peers);
  query.set('groupBy', groupBy);
  query.set('measures', MEASURES.join(','));
  if (format) query.set('format', format);
  return `/v1/research/comparators?${query}`;
}

function Share({ side }) {
  const { lang, t } = useResearch();
  if (side.obsStatus === 'C' || side.share === null || side.share === undefined) return html`<span class="suppressed" data-status="C">${t('suppressed')}</span>`;
  return html`<span data-status="A">${formatMeasure(side.share, 'percent', lang)} %</span>`;
}

function rank(dimension, code) {
  if (code === '_T') return -1;
  if (code === '_U') return 1000;
  const index = (ORDER[dimension] ?? []).indexOf(code);
  return index === -1 ? 500 : index;
}

export function ComparatorsView() {
  const { t, lang, api, filters } = useResearch();
  const [peers, setPeers] = useState('province');
  const [groupBy, setGroupBy] = useState('ageBand');
  const comparison = useResource(
    () => (filters.organizer ? api.get(comparatorPath(filters, peers, groupBy)) : Promise.resolve(null)),
    [JSON.stringify(filters), peers, groupBy],
  );
  const title = t('comparators.title');
  const data = comparison.data;
  const missing = comparison.error?.status === 404 && comparison.error.code !== 'organizer-not-found';
  const rows = [...(data?.rows ?? [])].sort((a, b) => rank(groupBy, a.coordinates[0]?.code) - rank(groupBy, b.coordinates[0]?.code));
  return html`<section class="card comparators-card" aria-labelledby="comparators-title">
    <div class="row"><h2 id="comparators-title">${title}</h2><span class="spacer"></span>
      ${data?.available ? html`<${CsvButton} view=${title} onDownload=${() => downloadCsv(api, comparatorPath(filters, peers, groupBy, 'csv'), 'comparators.csv')} />` : null}
    </div>
    <form class="inline" onSubmit=${(event) => event.preventDefault()}>
      <div class="field"><label for="comparators-peers">${t('comparators.peerKind')}</label>
        <select id="comparators-peers" value=${peers} onChange=${(event) => setPeers(event.target.value)}>
          ${PEER_KINDS.map((kind) => html`<option value=${kind}>${t(`comparators.peers.${kind}`)}</option>`)}
        </select>
      </div>
      <div class="field"><label for="comparators-group-by">${t('comparators.groupBy')}</label>
        <select id="comparators-group-by" value=${groupBy} onChange=${(event) => setGroupBy(event.target.value)}>
          ${GROUPINGS.map((dimension) => html`<option value=${dimension}>${t(`dimension.${dimension}`)}</option>`)}
        </select>
      </div>
    </form>
    ${!filters.organizer ? html`<p class="muted" data-state="choose">${t('comparators.choose')}</p>` : null}
    ${missing ? html`<p class="notice info" data-state="unavailable">${t('comparators.unavailable')}</p>` : html`<${ProblemNotice} error=${comparison.error} />`}
    ${data && !data.available ? html`<p class="notice info" data-state="too-few">${t('comparators.tooFew', { minimum: data.minimumPeers })} ${message(data.reason, lang)}</p>` : null}
    ${data?.available
      ? html`<table class="comparators" data-state="available">
          <caption>${t('comparators.caption', { organisation: data.organizer.label, group: data.peers.label ?? data.peers.code, count: data.peers.organizations })}</caption>
          <thead>
            <tr><th scope="col" rowspan="2">${t(`dimension.${groupBy}`)}</th>
              <th scope="colgroup" colspan="2" class="num">${data.organizer.label}</th>
              <th scope="colgroup" colspan="2" class="num">${t('comparators.peerGroup', { count: data.peers.organizations })}</th></tr>
            <tr><th scope="col" class="num">${t('measure.participants')}</th><th scope="col" class="num">${t('comparators.share')}</th>
              <th scope="col" class="num">${t('measure.participants')}</th><th scope="col" class="num">${t('comparators.share')}</th></tr>
          </thead>
          <tbody>
            ${rows.map((row) => {
              const coordinate = row.coordinates[0] ?? { code: '_T', label: '' };
              return html`<tr data-code=${coordinate.code}>
                <th scope="row">${codeLabel(t, groupBy, coordinate.code, coordinate.label)}</th>
                <td class="num"><${Figure} cell=${row.organization} measure="participants" /></td><td class="num"><${Share} side=${row.organization} /></td>
                <td class="num"><${Figure} cell=${row.peers} measure="participants" /></td><td class="num"><${Share} side=${row.peers} /></td>
              </tr>`;
            })}
          </tbody>
        </table>`
      : null}
  </section>`;
}
