// Participants by age band, price category or channel as horizontal bars. A suppressed category gets a
// hatched marker of fixed width and the word "suppressed": its length must not hint at the value.
import { CsvButton, Figure, ProblemNotice, codeLabel, downloadCsv, html, isSuppressed, participationPath, useResearch } from '../lib.js';
import { useResource } from '../common/resource.js';

/** Display order of the codes the platform knows (others follow in the API's order, "unknown" last). */
export const ORDER = {
  ageBand: ['0-14', '15-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'],
  priceCategory: ['basis', 'tarief', 'kansentarief', 'uitpas', 'gratis'],
  channel: ['online', 'box-office', 'phone', 'reseller', 'other'],
};
const MEASURES = ['participants', 'tickets'];

function rank(dimension, code) {
  if (code === '_U') return 1000;
  const index = (ORDER[dimension] ?? []).indexOf(code);
  return index === -1 ? 500 : index;
}

export function BarsView({ dimension }) {
  const { t, api, filters } = useResearch();
  const table = useResource(() => api.get(participationPath([dimension], filters, MEASURES)), [dimension, JSON.stringify(filters)]);
  const title = t(`bars.${dimension}`);
  const id = `bars-${dimension}`;
  const cells = (table.data?.cells ?? []).filter((cell) => cell.coordinates[0] !== '_T').sort((a, b) => rank(dimension, a.coordinates[0]) - rank(dimension, b.coordinates[0]));
  const total = (table.data?.cells ?? []).find((cell) => cell.coordinates[0] === '_T');
  const largest = Math.max(1, ...cells.filter((cell) => !isSuppressed(cell, 'participants')).map((cell) => cell.participants));
  return html`<section class="card bars-card" aria-labelledby=${`${id}-title`} data-dimension=${dimension}>
    <div class="row"><h2 id=${`${id}-title`}>${title}</h2><span class="spacer"></span>
      <${CsvButton} view=${title} onDownload=${() => downloadCsv(api, participationPath([dimension], filters, MEASURES, 'csv'), `participation-${dimension}.csv`)} />
    </div>
    <${ProblemNotice} error=${table.error} />
    ${table.data && cells.length === 0 ? html`<p class="muted">${t('bars.empty')}</p>` : null}
    <table class="bars">
      <caption class="visually-hidden">${t('bars.label', { title })}</caption>
      <thead class="visually-hidden"><tr><th scope="col">${title}</th><th scope="col">${t('measure.participants')}</th></tr></thead>
      <tbody>
        ${cells.map((cell) => {
          const suppressed = isSuppressed(cell, 'participants');
          const width = suppressed ? 0 : Math.max(0.5, (100 * cell.participants) / largest);
          return html`<tr data-code=${cell.coordinates[0]} data-status=${suppressed ? 'C' : 'A'}>
            <th scope="row">${codeLabel(t, dimension, cell.coordinates[0], cell.labels[0])}</th>
            <td class="bar-cell">
              ${suppressed ? html`<span class="bar hatched" aria-hidden="true"></span>` : html`<span class="bar" aria-hidden="true" style=${`width:${width}%`}></span>`}
              <span class="bar-value"><${Figure} cell=${cell} measure="participants" /></span>
            </td>
          </tr>`;
        })}
      </tbody>
      ${total
        ? html`<tfoot><tr><th scope="row">${t('code._T')}</th><td class="bar-cell"><span class="bar-value"><${Figure} cell=${total} measure="participants" /></span></td></tr></tfoot>`
        : null}
    </table>
  </section>`;
}
