// The research page: sign-in with a researcher key, the selection (kept in the URL's hash so a view can
// be shared), and the views: key figures, map, bars, trend, comparison with peers.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { createApi } from './common/api.js';
import { LanguageSwitch } from './common/language.js';
import { SignInPage, useKeySession, usePageLanguage } from './common/session.js';
import { useResource } from './common/resource.js';
import { CsvButton, FILTER_DIMENSIONS, Figure, ProblemNotice, ResearchContext, downloadCsv, html, participationPath, translator, useResearch } from './lib.js';
import { BarsView } from './views/bars.js';
import { ComparatorsView } from './views/comparators.js';
import { MapView } from './views/map.js';
import { TrendView } from './views/trend.js';

const KEY = 'cdp-research-key';
const LANG_KEY = 'cdp-research-lang';
const MAP_MEASURES = ['penetration', 'index', 'participants'];
const SUMMARY = ['participants', 'tickets', 'visitsPerParticipant', 'revenue'];

/** The selection in the hash: #?activity=…&season=…&measure=index */
function readSelection() {
  const query = new URLSearchParams(window.location.hash.replace(/^#\??/, ''));
  const filters = {};
  for (const name of [...FILTER_DIMENSIONS, 'from', 'to']) if (query.get(name)) filters[name] = query.get(name);
  const measure = MAP_MEASURES.includes(query.get('measure')) ? query.get('measure') : 'penetration';
  return { filters, measure };
}

function writeSelection({ filters, measure }) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value));
  if (measure !== 'penetration') query.set('measure', measure);
  history.replaceState(null, '', `${window.location.pathname}${window.location.search}${query.size ? `#?${query}` : ''}`);
}

function Links({ t }) {
  return html`<nav aria-label=${t('nav.label')} class="links">
    <a href="/console/">${t('nav.console')}</a> · <a href="/graphql">GraphiQL</a> · <a href="/datasets">${t('nav.datasets')}</a> · <a href="/docs">${t('nav.apiDocs')}</a>
  </nav>`;
}

/** Codes and labels of one dimension (all of them, whatever the selection) for a filter's options. */
function useOptions(api, dimension) {
  return useResource(async () => {
    const table = await api.get(participationPath([dimension], {}, ['tickets']));
    return table.cells.filter((cell) => !cell.coordinates[0].startsWith('_')).map((cell) => ({ code: cell.coordinates[0], label: cell.labels[0] }));
  }, []);
}

function Select({ id, label, value, options, onChange }) {
  const { t } = useResearch();
  return html`<div class="field"><label for=${id}>${label}</label>
    <select id=${id} value=${value ?? ''} onChange=${(event) => onChange(event.target.value || undefined)}>
      <option value="">${t('filters.all')}</option>
      ${options.map((option) => html`<option value=${option.code}>${option.label}</option>`)}
    </select>
  </div>`;
}

function Filters({ selection, setSelection }) {
  const { t, lang, api } = useResearch();
  const activities = useOptions(api, 'activity');
  const types = useOptions(api, 'activityType');
  const seasons = useOptions(api, 'season');
  const organizers = useResource(async () => {
    try {
      const list = await api.get('/v1/research/organizers');
      return list.organizers.map((organizer) => ({ code: organizer.code, label: organizer.label }));
    } catch (error) {
      // A platform without the organizers list: the organisations as the participation table names them.
      if (error.status !== 404) throw error;
      const table = await api.get(participationPath(['organizer'], {}, ['tickets']));
      return table.cells.filter((cell) => cell.coordinates[0] !== '_T').map((cell) => ({ code: cell.coordinates[0], label: cell.labels[0] }));
    }
  }, []);
  const { filters, measure } = selection;
  const set = (name) => (value) => setSelection({ measure, filters: { ...filters, [name]: value } });
  const sorted = (resource) => [...(resource.data ?? [])].sort((a, b) => a.label.localeCompare(b.label, lang));
  return html`<section class="card filters" aria-labelledby="filters-title">
    <h2 id="filters-title">${t('filters.title')}</h2>
    <${ProblemNotice} error=${activities.error ?? organizers.error ?? types.error ?? seasons.error} />
    <form class="inline" onSubmit=${(event) => event.preventDefault()}>
      <${Select} id="filter-activity" label=${t('filters.activity')} value=${filters.activity} options=${sorted(activities)} onChange=${set('activity')} />
      <${Select} id="filter-organizer" label=${t('filters.organizer')} value=${filters.organizer} options=${sorted(organizers)} onChange=${set('organizer')} />
      <${Select} id="filter-type" label=${t('filters.activityType')} value=${filters.activityType} options=${sorted(types)} onChange=${set('activityType')} />
      <${Select} id="filter-season" label=${t('filters.season')} value=${filters.season} options=${[...(seasons.data ?? [])].sort((a, b) => (a.code < b.code ? 1 : -1))} onChange=${set('season')} />
      <div class="field"><label for="filter-from">${t('filters.from')}</label><input id="filter-from" type="date" value=${filters.from ?? ''} onChange=${(event) => set('from')(event.target.value || undefined)} /></div>
      <div class="field"><label for="filter-to">${t('filters.to')}</label><input id="filter-to" type="date" value=${filters.to ?? ''} onChange=${(event) => set('to')(event.target.value || undefined)} /></div>
      <div class="field"><label for="filter-measure">${t('filters.measure')}</label>
        <select id="filter-measure" value=${measure} onChange=${(event) => setSelection({ filters, measure: event.target.value })}>
          ${MAP_MEASURES.map((name) => html`<option value=${name}>${t(`measure.${name}`)}</option>`)}
        </select>
      </div>
      <button type="button" onClick=${() => setSelection({ filters: {}, measure })}>${t('filters.reset')}</button>
    </form>
  </section>`;
}

function Summary() {
  const { t, api, filters } = useResearch();
  const total = useResource(() => api.get(participationPath([], filters, SUMMARY)), [JSON.stringify(filters)]);
  const cell = total.data?.cells?.[0];
  const title = t('summary.title');
  return html`<section aria-labelledby="summary-title" class="summary">
    <div class="row"><h2 id="summary-title">${title}</h2><span class="spacer"></span>
      <${CsvButton} view=${title} onDownload=${() => downloadCsv(api, participationPath([], filters, SUMMARY, 'csv'), 'participation-total.csv')} />
    </div>
    <${ProblemNotice} error=${total.error} />
    <div class="stats">
      ${SUMMARY.map((measure) => html`<div class="stat" data-measure=${measure}><div class="value">${cell ? html`<${Figure} cell=${cell} measure=${measure} />` : '…'}</div><div class="label">${t(`measure.${measure}`)}</div></div>`)}
    </div>
  </section>`;
}

function Research({ researcherKey, k, lang, setLang, t, signOut }) {
  const api = useMemo(() => createApi(researcherKey), [researcherKey]);
  const [selection, setSelectionState] = useState(readSelection());
  const setSelection = (next) => {
    writeSelection(next);
    setSelectionState(next);
  };
  useEffect(() => {
    document.title = `${t('app.title')} · Cultuurdata platform`;
  }, [lang]);
  const context = { lang, t, api, k, filters: selection.filters, measure: selection.measure };
  return html`<${ResearchContext.Provider} value=${context}>
    <a class="skip" href="#main" onClick=${(event) => {
      // The hash holds the selection: move the focus without replacing it.
      event.preventDefault();
      document.getElementById('main').focus();
    }}>${t('skip')}</a>
    <header class="top">
      <p class="brand">${t('app.title')}</p>
      <div class="who">
        <${Links} t=${t} />
        <${LanguageSwitch} lang=${lang} setLang=${setLang} label=${t('language.label')} />
        <button type="button" onClick=${signOut}>${t('signout')}</button>
      </div>
    </header>
    <main id="main" tabindex="-1" class="research">
      <h1>${t('app.heading')}</h1>
      <p class="muted intro">${t('app.intro', { k })}</p>
      <${Filters} selection=${selection} setSelection=${setSelection} />
      <${Summary} />
      <div class="research-grid">
        <${MapView} />
        <div class="bars-column">
          <${BarsView} dimension="ageBand" />
          <${BarsView} dimension="priceCategory" />
          <${BarsView} dimension="channel" />
        </div>
      </div>
      <div class="grid">
        <${TrendView} />
        <${ComparatorsView} />
      </div>
    </main>
  <//>`;
}

/** A researcher key works if it reads the total; the answer says the platform's k. */
const verifyKey = async (key) => (await createApi(key).get('/v1/research/participation?measures=tickets')).k;

function App() {
  const { lang, setLang, t } = usePageLanguage(LANG_KEY, translator);
  const { session, checking, signIn, signOut } = useKeySession(KEY, verifyKey);
  if (checking) return html`<p class="boot">${t('loading')}</p>`;
  if (!session) {
    return html`<${SignInPage} t=${t} lang=${lang} setLang=${setLang} field=${t('signin.key')} verify=${verifyKey} onSignedIn=${signIn}>
      <${Links} t=${t} />
    <//>`;
  }
  return html`<${Research} researcherKey=${session.key} k=${session.about} lang=${lang} setLang=${setLang} t=${t} signOut=${signOut} />`;
}

const root = document.getElementById('app');
// The boot text is replaced, not diffed against.
root.textContent = '';
render(html`<${App} />`, root);
