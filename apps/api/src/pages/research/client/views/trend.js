// Participants per month as a line (GET /v1/research/trends?period=month): a suppressed month is a gap
// in the line and the word "suppressed" in the table, never a point.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { CsvButton, Figure, ProblemNotice, downloadCsv, formatMeasure, html, isSuppressed, selectionQuery, useResearch } from '../lib.js';
import { useResource } from '../common/resource.js';

const MEASURES = ['participants', 'tickets'];

/** The selection for /trends, which takes a period as from/to only: a season becomes September to August. */
function trendPath(filters, format) {
  const { season, ...rest } = filters;
  if (season) {
    const start = Number(season.slice(0, 4));
    const [first, last] = [`${start}-09-01`, `${start + 1}-08-31`];
    rest.from = rest.from && rest.from > first ? rest.from : first;
    rest.to = rest.to && rest.to < last ? rest.to : last;
  }
  const query = selectionQuery(rest);
  query.set('period', 'month');
  query.set('measures', MEASURES.join(','));
  if (format) query.set('format', format);
  return `/v1/research/trends?${query}`;
}

/** A change against an earlier period, or "suppressed" when it was computed from a withheld value. */
function Change({ change }) {
  const { lang, t } = useResearch();
  if (!change) return html`<span class="muted">—</span>`;
  if (change.obsStatus === 'C') return html`<span class="suppressed" data-status="C">${t('suppressed')}</span>`;
  const percent = change.percent?.participants;
  if (percent === null || percent === undefined) return html`<span class="muted">—</span>`;
  return html`<span data-status="A">${percent > 0 ? '+' : ''}${formatMeasure(percent, 'percent', lang)} %</span>`;
}

export function TrendView() {
  const { t, lang, api, filters } = useResearch();
  const trend = useResource(() => api.get(trendPath(filters)), [JSON.stringify(filters)]);
  const box = useRef(null);
  const points = trend.data?.series?.find((series) => series.coordinates.length === 0)?.points ?? [];
  const title = t('trend.title');
  useEffect(() => {
    if (!box.current || points.length < 2) return undefined;
    const width = Math.max(box.current.clientWidth, 320);
    const values = points.map((point) => (isSuppressed(point, 'participants') ? null : point.participants));
    const plot = new uPlot(
      {
        width,
        height: 240,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.3, points.length - 0.7] }, y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 10) * 1.1] } },
        axes: [
          // One tick per month (at most about twelve labels), named as the API names the period.
          { stroke: '#4f5863', grid: { stroke: '#eceff2' }, splits: () => points.map((_, index) => index).filter((index) => index % Math.ceil(points.length / 12) === 0), values: (_u, splits) => splits.map((index) => points[index]?.period ?? '') },
          { stroke: '#4f5863', grid: { stroke: '#eceff2' } },
        ],
        series: [{}, { label: t('measure.participants'), stroke: '#0a6ebd', width: 2, fill: 'rgba(10,110,189,.08)', spanGaps: false, points: { show: true, size: 6 } }],
      },
      [points.map((_, index) => index), values],
      box.current,
    );
    // The card narrows with the window (one column on small screens): the canvas follows.
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(box.current?.clientWidth ?? width, 280), height: 240 }));
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [trend.data, lang]);
  const suppressedMonths = points.filter((point) => isSuppressed(point, 'participants')).length;
  return html`<section class="card trend-card" aria-labelledby="trend-title">
    <div class="row"><h2 id="trend-title">${title}</h2><span class="spacer"></span>
      <${CsvButton} view=${title} onDownload=${() => downloadCsv(api, trendPath(filters, 'csv'), 'trends-month.csv')} />
    </div>
    <${ProblemNotice} error=${trend.error} />
    ${trend.data && points.length < 2
      ? html`<p class="muted">${t('trend.empty')}</p>`
      : html`<div class="chart" ref=${box} role="img" aria-label=${t('trend.label', { count: points.length })}></div>`}
    ${suppressedMonths > 0 ? html`<p class="muted">${t('trend.gaps')}</p>` : null}
    <details>
      <summary>${t('map.asTable')}</summary>
      <table class="trend">
        <caption class="visually-hidden">${title}</caption>
        <thead><tr><th scope="col">${t('trend.month')}</th><th scope="col" class="num">${t('measure.participants')}</th><th scope="col" class="num">${t('measure.tickets')}</th>
          <th scope="col" class="num">${t('trend.previous')}</th><th scope="col" class="num">${t('trend.yearAgo')}</th></tr></thead>
        <tbody>
          ${points.map(
            (point) => html`<tr data-period=${point.period} data-status=${point.obsStatus}><th scope="row">${point.period}</th>
              <td class="num"><${Figure} cell=${point} measure="participants" /></td><td class="num"><${Figure} cell=${point} measure="tickets" /></td>
              <td class="num"><${Change} change=${point.previous} /></td><td class="num"><${Change} change=${point.yearAgo} /></td></tr>`,
          )}
        </tbody>
      </table>
    </details>
  </section>`;
}
