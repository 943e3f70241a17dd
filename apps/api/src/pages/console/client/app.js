// The console: sign-in, layout, language switch and hash routing over the views in views/index.js.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { LanguageSwitch } from './common/language.js';
import { SignInPage, useKeySession, usePageLanguage } from './common/session.js';
import { ConsoleContext, ProblemNotice, createApi, html, translator } from './lib.js';
import { VIEWS } from './views/index.js';

const TOKEN_KEY = 'cdp-console-token';
const LANG_KEY = 'cdp-console-lang';

/** #/view/argument?query -> { view, argument, query } */
function parseRoute() {
  const [path, search = ''] = window.location.hash.replace(/^#\/?/, '').split('?');
  const [view = 'overview', ...rest] = path.split('/').filter(Boolean);
  return { view, argument: rest.map(decodeURIComponent).join('/') || null, query: new URLSearchParams(search) };
}

function Console({ token, me, lang, setLang, t, signOut }) {
  const api = useMemo(() => createApi(token), [token]);
  const [route, setRoute] = useState(parseRoute());
  const [sources, setSources] = useState(me.role === 'vendor' ? [me.source] : []);
  const [sourceId, setSourceIdState] = useState(me.role === 'vendor' ? me.source.id : sessionStorage.getItem('cdp-console-source'));
  const [sourcesError, setSourcesError] = useState(null);
  const setSourceId = (id) => {
    sessionStorage.setItem('cdp-console-source', id);
    setSourceIdState(id);
  };
  const reloadSources = async () => {
    if (me.role !== 'admin') return;
    try {
      const list = await api.get('/v1/admin/sources');
      setSources(list);
      setSourcesError(null);
      if (!list.some((source) => source.id === sourceId) && list.length > 0) setSourceId(list[0].id);
    } catch (error) {
      setSourcesError(error);
    }
  };
  useEffect(() => {
    void reloadSources();
  }, []);
  useEffect(() => {
    const listener = () => setRoute(parseRoute());
    window.addEventListener('hashchange', listener);
    return () => window.removeEventListener('hashchange', listener);
  }, []);

  const views = VIEWS.filter((view) => !view.adminOnly || me.role === 'admin');
  const current = views.find((view) => view.id === route.view) ?? views[0];
  useEffect(() => {
    document.title = `${t(current.label)} · Console · Cultuurdata platform`;
  }, [current, lang]);
  const navigate = (hash) => {
    window.location.hash = hash;
  };
  const context = { lang, t, api, me, sources, sourceId, setSourceId, reloadSources, navigate, route };
  const View = current.component;
  return html`<${ConsoleContext.Provider} value=${context}>
    <a class="skip" href="#main">${t('skip')}</a>
    <header class="top">
      <h1>Cultuurdata · Console</h1>
      <div class="who">
        ${me.role === 'admin'
          ? html`<span class="row"><label for="source-select">${t('source.select')}</label>
              <select id="source-select" value=${sourceId ?? ''} onChange=${(event) => setSourceId(event.target.value)}>
                ${sources.map((source) => html`<option value=${source.id}>${source.name} (${source.id})</option>`)}
              </select></span>`
          : html`<span>${t('source.yours')}: <strong>${me.source.name}</strong> (${me.source.id})</span>`}
        <span class="badge">${me.role === 'admin' ? t('role.admin') : t('role.vendor')}</span>
        <${LanguageSwitch} lang=${lang} setLang=${setLang} label=${t('language.label')} />
        <button type="button" onClick=${signOut}>${t('signout')}</button>
      </div>
    </header>
    <div class="shell">
      <nav class="side" aria-label=${t('nav.label')}>
        <ul>
          ${views.map(
            (view) => html`<li><a href=${`#/${view.id}`} aria-current=${view.id === current.id ? 'page' : undefined}>${t(view.label)}</a></li>`,
          )}
        </ul>
        <p class="section">${t('nav.elsewhere')}</p>
        <ul>
          <li><a href="/graphql">GraphiQL</a></li>
          <li><a href="/research/">${t('nav.research')}</a></li>
          <li><a href="/docs">${t('nav.apiDocs')}</a></li>
        </ul>
      </nav>
      <main id="main" tabindex="-1">
        <${ProblemNotice} error=${sourcesError} />
        <${View} key=${`${current.id}:${sourceId}`} argument=${route.argument} query=${route.query} />
      </main>
    </div>
  <//>`;
}

const verifyToken = (token) => createApi(token).get('/v1/me');

function App() {
  const { lang, setLang, t } = usePageLanguage(LANG_KEY, translator);
  const { session, checking, signIn, signOut } = useKeySession(TOKEN_KEY, verifyToken);
  if (checking) return html`<p class="boot">${t('loading')}</p>`;
  if (!session) {
    return html`<${SignInPage} t=${t} lang=${lang} setLang=${setLang} field=${t('signin.token')} verify=${verifyToken} onSignedIn=${signIn}>
      <p><a href="/graphql">GraphiQL</a> · <a href="/research/">${t('nav.research')}</a> · <a href="/docs">${t('nav.apiDocs')}</a></p>
    <//>`;
  }
  return html`<${Console} token=${session.key} me=${session.about} lang=${lang} setLang=${setLang} t=${t}
    signOut=${() => {
      signOut();
      window.location.hash = '';
    }} />`;
}
const root = document.getElementById('app');
// The boot text is replaced, not diffed against.
root.textContent = '';
render(html`<${App} />`, root);
