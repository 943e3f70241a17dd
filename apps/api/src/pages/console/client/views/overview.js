// Throughput and errors of the last hour, per minute (GET /v1/admin/throughput or /v1/sources/{id}/throughput).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { ProblemNotice, formatNumber, formatTime, html, useConsole, useResource } from '../lib.js';

const SERIES = {
  throughput: [
    { key: 'accepted', colour: '#146c2e' },
    { key: 'unchanged', colour: '#6b7785' },
    { key: 'rejected', colour: '#c0262b' },
  ],
  errors: [
    { key: 'rejected', colour: '#c0262b' },
    { key: 'failedBatches', colour: '#b7791f' },
    { key: 'failedRuns', colour: '#6f42c1' },
  ],
};

/** A uPlot bar chart of minutes; the same numbers as a table for screen readers and keyboard users. */
function MinuteChart({ id, title, minutes, series }) {
  const { t, lang } = useConsole();
  const box = useRef(null);
  useEffect(() => {
    if (!box.current || !minutes) return undefined;
    const width = Math.max(box.current.clientWidth, 320);
    const data = [minutes.map((row) => new Date(row.minute).getTime() / 1000), ...series.map((entry) => minutes.map((row) => row[entry.key]))];
    const bars = uPlot.paths.bars({ size: [0.7, 24] });
    const plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max, 4)] } },
        axes: [{ stroke: '#4f5863', grid: { stroke: '#eceff2' } }, { stroke: '#4f5863', grid: { stroke: '#eceff2' } }],
        series: [{}, ...series.map((entry) => ({ label: t(`chart.${entry.key}`), stroke: entry.colour, fill: `${entry.colour}cc`, paths: bars, width: 0 }))],
      },
      data,
      box.current,
    );
    return () => plot.destroy();
  }, [minutes, lang]);
  const totals = series.map((entry) => ({ ...entry, total: (minutes ?? []).reduce((sum, row) => sum + row[entry.key], 0) }));
  const busy = (minutes ?? []).filter((row) => series.some((entry) => row[entry.key] > 0));
  return html`<section class="card" aria-labelledby=${`${id}-title`}>
    <h3 id=${`${id}-title`}>${title}</h3>
    <div class="chart" ref=${box} role="img" aria-label=${`${title}: ${totals.map((entry) => `${t(`chart.${entry.key}`)} ${entry.total}`).join(', ')}`}></div>
    <div class="legend">${totals.map((entry) => html`<span><i style=${`background:${entry.colour}`}></i>${t(`chart.${entry.key}`)}: <strong>${formatNumber(entry.total, lang)}</strong></span>`)}</div>
    <details>
      <summary>${t('chart.asTable')}</summary>
      ${busy.length === 0
        ? html`<p class="muted">${t('chart.quiet')}</p>`
        : html`<table><caption class="visually-hidden">${title}</caption>
            <thead><tr><th scope="col">${t('chart.minute')}</th>${series.map((entry) => html`<th scope="col" class="num">${t(`chart.${entry.key}`)}</th>`)}</tr></thead>
            <tbody>${busy.map((row) => html`<tr><td>${formatTime(row.minute, lang, false)}</td>${series.map((entry) => html`<td class="num">${row[entry.key]}</td>`)}</tr>`)}</tbody>
          </table>`}
    </details>
  </section>`;
}

export function OverviewView() {
  const { t, lang, api, me, sourceId, sources } = useConsole();
  const scope = me.role === 'admin' ? 'all' : sourceId;
  const throughput = useResource(() => api.get(scope === 'all' ? '/v1/admin/throughput?minutes=60' : `/v1/sources/${encodeURIComponent(scope)}/throughput?minutes=60`), [scope], 15000);
  const minutes = throughput.data?.minutes;
  const sum = (key) => (minutes ?? []).reduce((total, row) => total + row[key], 0);
  const processed = sum('accepted') + sum('unchanged') + sum('rejected');
  return html`<div>
    <h2>${t('overview.title')}</h2>
    <p class="muted">${me.role === 'admin' ? t('overview.scopeAll', { count: sources.length }) : t('overview.scopeSource', { source: sourceId })} · ${t('overview.refresh')}</p>
    <${ProblemNotice} error=${throughput.error} />
    <div class="stats">
      <div class="stat"><div class="value">${formatNumber(processed, lang)}</div><div class="label">${t('overview.items')}</div></div>
      <div class="stat"><div class="value">${formatNumber(sum('accepted'), lang)}</div><div class="label">${t('chart.accepted')}</div></div>
      <div class="stat"><div class="value">${formatNumber(sum('rejected'), lang)}</div><div class="label">${t('chart.rejected')}</div></div>
      <div class="stat"><div class="value">${processed ? `${Math.round((100 * sum('rejected')) / processed)} %` : '—'}</div><div class="label">${t('overview.rejectRate')}</div></div>
      <div class="stat"><div class="value">${formatNumber(sum('failedBatches') + sum('failedRuns'), lang)}</div><div class="label">${t('overview.failures')}</div></div>
    </div>
    <div class="grid">
      <${MinuteChart} id="throughput" title=${t('overview.throughput')} minutes=${minutes} series=${SERIES.throughput} />
      <${MinuteChart} id="errors" title=${t('overview.errors')} minutes=${minutes} series=${SERIES.errors} />
    </div>
  </div>`;
}
