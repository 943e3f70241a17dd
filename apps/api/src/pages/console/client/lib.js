// Shared by the console's views: htm bound to preact, the API client, the language context, formatting.
import { createContext, h } from 'preact';
import { useContext } from 'preact/hooks';
import htm from 'htm';
import { ProblemText, formatNumber, translatorOver } from './common/language.js';
import { STRINGS } from './i18n.js';

export { ApiProblem, createApi } from './common/api.js';
export { useResource } from './common/resource.js';
export { formatNumber };

export const html = htm.bind(h);

/** { lang, t, api, me, sourceId, setSourceId, sources, navigate } for every view. */
export const ConsoleContext = createContext(null);
export const useConsole = () => useContext(ConsoleContext);

export function translator(lang) {
  return translatorOver(STRINGS, lang);
}

export function ProblemNotice({ error }) {
  const { lang, t } = useConsole();
  return html`<${ProblemText} error=${error} lang=${lang} title=${t('error.title')} />`;
}

export function formatTime(value, lang, withDate = true, seconds = true) {
  if (!value) return '—';
  const date = new Date(value);
  const timeStyle = seconds ? 'medium' : 'short';
  return new Intl.DateTimeFormat(lang === 'nl' ? 'nl-BE' : 'en-GB', withDate ? { dateStyle: 'short', timeStyle } : { timeStyle }).format(date);
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
