// Choropleth of the participants' home municipalities: penetration, index or participants, suppressed
// municipalities hatched (never a number), from GET /v1/research/participation?groupBy=homeMunicipality.
import { useMemo } from 'preact/hooks';
import { quantile } from 'd3-array';
import { geoIdentity, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import { CsvButton, Figure, ProblemNotice, downloadCsv, formatMeasure, html, isSuppressed, participationPath, useResearch } from '../lib.js';
import { useResource } from '../common/resource.js';

const WIDTH = 800;
const HEIGHT = 660;
const MEASURES = ['participants', 'penetration', 'index'];

// ColorBrewer: Blues (sequential) for counts and rates; PuOr (diverging around 100) for the index.
const SEQUENTIAL = ['#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];
const DIVERGING = ['#e66101', '#fdb863', '#f7f7f7', '#b2abd2', '#5e3c99'];
const INDEX_BREAKS = [50, 80, 120, 200];
const NONE = '#dde1e6';

let shapes;
/** The 581 municipalities (REFNIS 2019) as SVG paths, loaded and projected once per page. */
function loadShapes() {
  shapes ??= fetch('geography/municipalities-2019.topojson')
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((topology) => {
      const collection = feature(topology, topology.objects.regions);
      // The polygons are already projected (planar, y pointing south): fit them as they are.
      const path = geoPath(geoIdentity().fitSize([WIDTH, HEIGHT], collection)).digits(1);
      return collection.features.map((region) => ({
        code: String(region.properties.NISCODE_2019).padStart(5, '0'),
        name: region.properties.namened === region.properties.namefr ? region.properties.namened : `${region.properties.namened} / ${region.properties.namefr}`,
        d: path(region),
      }));
    });
  shapes.catch(() => (shapes = undefined));
  return shapes;
}

/** Class breaks and colours of the measure: fixed around 100 for the index, quintiles of the published values otherwise. */
function classesOf(measure, values) {
  if (measure === 'index') return { breaks: INDEX_BREAKS, colours: DIVERGING };
  const sorted = values.filter((value) => value > 0).sort((a, b) => a - b);
  if (sorted.length === 0) return { breaks: [], colours: SEQUENTIAL.slice(-1) };
  const breaks = [...new Set([0.2, 0.4, 0.6, 0.8].map((p) => quantile(sorted, p)))];
  return { breaks, colours: SEQUENTIAL.slice(SEQUENTIAL.length - breaks.length - 1) };
}

function colourOf(value, classes) {
  let index = 0;
  while (index < classes.breaks.length && value >= classes.breaks[index]) index += 1;
  return classes.colours[index];
}

function Legend({ measure, classes }) {
  const { t, lang, k } = useResearch();
  const format = (value) => formatMeasure(value, measure, lang);
  const ranges = classes.colours.map((colour, index) => {
    const low = classes.breaks[index - 1];
    const high = classes.breaks[index];
    const text = low === undefined ? (high === undefined ? '> 0' : `< ${format(high)}`) : high === undefined ? `≥ ${format(low)}` : `${format(low)} – ${format(high)}`;
    return { colour, text };
  });
  return html`<div class="map-legend" aria-label=${t('legend.title')} role="group">
    <ul>
      ${ranges.map((range) => html`<li><i style=${`background:${range.colour}`}></i>${range.text}</li>`)}
      <li><i class="none" style=${`background:${NONE}`}></i>${t('legend.none')}</li>
      <li><svg class="swatch" width="14" height="14" aria-hidden="true"><rect width="14" height="14" fill="url(#suppressed-hatch)" /></svg>${t('legend.suppressed', { k })}</li>
    </ul>
    ${measure === 'index' ? html`<p class="muted">← ${t('legend.indexLow')} · 100 · ${t('legend.indexHigh')} →</p>` : null}
  </div>`;
}

export function MapView() {
  const { t, lang, api, filters, measure } = useResearch();
  const regions = useResource(loadShapes, []);
  const cells = useResource(() => api.get(participationPath(['homeMunicipality'], filters, MEASURES)), [JSON.stringify(filters)]);
  const byCode = useMemo(() => new Map((cells.data?.cells ?? []).map((cell) => [cell.coordinates[0], cell])), [cells.data]);
  const classes = useMemo(
    () => classesOf(measure, [...byCode.entries()].filter(([code, cell]) => /^\d{5}$/.test(code) && !isSuppressed(cell, measure)).map(([, cell]) => cell[measure])),
    [byCode, measure],
  );
  const title = t('map.title');
  const municipalities = regions.data ?? [];
  const listed = municipalities.filter((region) => byCode.has(region.code)).sort((a, b) => a.name.localeCompare(b.name, lang));
  const suppressedCount = listed.filter((region) => byCode.get(region.code).obsStatus === 'C').length;
  const unknown = byCode.get('_U');
  return html`<section class="card map-card" aria-labelledby="map-title">
    <div class="row"><h2 id="map-title">${title}</h2><span class="spacer"></span>
      <${CsvButton} view=${title} onDownload=${() => downloadCsv(api, participationPath(['homeMunicipality'], filters, MEASURES, 'csv'), 'participation-homeMunicipality.csv')} />
    </div>
    <p class="muted">${t(`measure.${measure}`)}</p>
    <${ProblemNotice} error=${regions.error ?? cells.error} />
    ${regions.data
      ? html`<svg class="map" viewBox=${`0 0 ${WIDTH} ${HEIGHT}`} role="img"
          aria-label=${t('map.label', { count: municipalities.length, measure: t(`measure.${measure}`), published: listed.length - suppressedCount, suppressed: suppressedCount })}>
          <defs>
            <pattern id="suppressed-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
              <rect width="6" height="6" fill="#e3e6ea" /><line x1="0" y1="0" x2="0" y2="6" stroke="#5b6570" stroke-width="2.2" />
            </pattern>
          </defs>
          <g class="regions">
            ${municipalities.map((region) => {
              const cell = byCode.get(region.code);
              const status = !cell ? 'none' : cell.obsStatus === 'C' || isSuppressed(cell, measure) ? 'C' : 'A';
              const fill = status === 'none' ? NONE : status === 'C' ? 'url(#suppressed-hatch)' : cell[measure] > 0 ? colourOf(cell[measure], classes) : NONE;
              const text = status === 'none' ? t('map.noParticipants') : status === 'C' ? t('suppressed') : formatMeasure(cell[measure], measure, lang);
              return html`<path d=${region.d} fill=${fill} data-nis=${region.code} data-status=${status} data-value=${status === 'A' ? String(cell[measure]) : undefined}><title>${region.name}: ${text}</title></path>`;
            })}
          </g>
        </svg>`
      : html`<p class="muted">${t('map.loadingShapes')}</p>`}
    <${Legend} measure=${measure} classes=${classes} />
    ${unknown ? html`<p class="muted">${t('map.outside')} <${Figure} cell=${unknown} measure="participants" /></p>` : null}
    <details>
      <summary>${t('map.asTable')}</summary>
      <table class="municipalities">
        <caption class="visually-hidden">${title}</caption>
        <thead><tr><th scope="col">${t('map.municipality')}</th>${MEASURES.map((name) => html`<th scope="col" class="num">${t(`measure.${name}`)}</th>`)}</tr></thead>
        <tbody>
          ${listed.map((region) => {
            const cell = byCode.get(region.code);
            return html`<tr data-nis=${region.code} data-status=${cell.obsStatus}><th scope="row">${region.name}</th>${MEASURES.map((name) => html`<td class="num"><${Figure} cell=${cell} measure=${name} /></td>`)}</tr>`;
          })}
        </tbody>
      </table>
    </details>
  </section>`;
}
