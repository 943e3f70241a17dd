// Shared by the console's views: htm bound to preact, the API client, the language context, formatting.
import { createContext, h } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { STRINGS } from './i18n.js';

export const html = htm.bind(h);

/** { lang, t, api, me, sourceId, setSourceId, sources, navigate } for every view. */
export const ConsoleContext = createContext(null);
export const useConsole = () => useContext(ConsoleContext);

export function translator(lang) {
  const table = STRINGS[lang] ?? STRINGS.nl;
  return (key, parameters = {}) => {
    const text = table[key] ?? STRINGS.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(parameters[name] ?? ''));
  };
}

/** An error as the platform answers it: {error: {code, message: {nl, en}, where}}. */
export class ApiProblem extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message?.en ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code ?? 'http-' + status;
    this.messages = error.message ?? { nl: `HTTP-fout ${status}`, en: `HTTP error ${status}` };
    this.where = error.where;
  }
}

export function createApi(token) {
  async function call(method, path, body) {
    const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 204) return null;
    const type = response.headers.get('content-type') ?? '';
    const parsed = type.includes('json') ? await response.json().catch(() => null) : await response.text();
    if (!response.ok) throw new ApiProblem(response.status, parsed);
    return parsed;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
    /** The raw bytes of an archived body (and as text), with its content type. */
    async raw(path) {
      const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) throw new ApiProblem(response.status, await response.json().catch(() => null));
      const bytes = await response.arrayBuffer();
      return { contentType: response.headers.get('content-type') ?? '', bytes, text: new TextDecoder().decode(bytes), headers: response.headers };
    },
    async graphql(query, variables = {}) {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ query, variables }) });
      const result = await response.json();
      if (result.errors?.length) throw new ApiProblem(response.status, { error: { code: 'graphql', message: { nl: result.errors[0].message, en: result.errors[0].message } } });
      return result.data;
    },
  };
}

/**
 * Loads `load()` now, again when `deps` change, and every `everyMs` while the page is visible.
 * Returns { data, error, loading, reload }.
 */
export function useResource(load, deps, everyMs = 0) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      const data = await latest.current();
      setState({ data, error: null, loading: false });
    } catch (error) {
      setState((previous) => ({ data: previous.data, error, loading: false }));
    }
  }, []);
  useEffect(() => {
    setState((previous) => ({ ...previous, loading: true }));
    void reload();
    if (!everyMs) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, deps);
  return { ...state, reload };
}

export function ProblemNotice({ error }) {
  const { lang, t } = useConsole();
  if (!error) return null;
  const message = error.messages ? error.messages[lang] ?? error.messages.en : String(error.message ?? error);
  return html`<div class="notice error" role="alert"><strong>${t('error.title')}</strong> ${message}${error.where ? html` <span class="mono">(${error.where})</span>` : ''}</div>`;
}

export function formatTime(value, lang, withDate = true, seconds = true) {
  if (!value) return '—';
  const date = new Date(value);
  const timeStyle = seconds ? 'medium' : 'short';
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-BE' : 'en-GB', withDate ? { dateStyle: 'short', timeStyle } : { timeStyle }).format(date);
}

export function formatNumber(value, lang) {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-BE' : 'en-GB').format(value ?? 0);
}

export function formatBytes(value, lang) {
  if (value < 1024) return `${formatNumber(value, lang)} B`;
  if (value < 1024 * 1024) return `${formatNumber(Math.round(value / 102.4) / 10, lang)} KB`;
  return `${formatNumber(Math.round(value / 104857.6) / 10, lang)} MB`;
}

const PILLS = {
  accepted: 'ok', done: 'ok', succeeded: 'ok', confirmed: 'ok', InStock: 'ok',
  rejected: 'bad', failed: 'bad', interrupted: 'bad', OutOfStock: 'bad',
  unchanged: 'idle', deleted: 'idle', skipped: 'idle', open: 'warn', LimitedAvailability: 'warn',
  active: 'ok', delivered: 'ok', paused: 'idle', failing: 'bad', gone: 'bad', pending: 'run',
  queued: 'run', processing: 'run', running: 'run', cancelled: 'bad', postponed: 'warn', scheduled: 'idle',
};

/** A status word as a coloured pill, in the reader's language. */
export function StatusPill({ status }) {
  const { t } = useConsole();
  return html`<span class=${`pill ${PILLS[status] ?? 'idle'}`}>${t(`status.${status}`)}</span>`;
}

export function message(text, lang) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en ?? text.nl ?? Object.values(text)[0] ?? '';
}
