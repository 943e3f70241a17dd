// Shared by the research page's views: htm bound to preact, the page context, queries of the
// participation API, figures that respect suppression, CSV downloads.
import { createContext, h } from 'preact';
import { useContext } from 'preact/hooks';
import htm from 'htm';
import { ProblemText, formatNumber, translatorOver } from './common/language.js';
import { STRINGS } from './i18n.js';

export const html = htm.bind(h);

/** { lang, t, api, k, filters, setFilters } for every view. */
export const ResearchContext = createContext(null);
export const useResearch = () => useContext(ResearchContext);

export function translator(lang) {
  return translatorOver(STRINGS, lang);
}

export function ProblemNotice({ error }) {
  const { lang, t } = useResearch();
  return html`<${ProblemText} error=${error} lang=${lang} title=${t('error.title')} />`;
}

/** The dimensions the selection filters on (each one code or none). */
export const FILTER_DIMENSIONS = ['activity', 'organizer', 'activityType', 'season'];

const BRUSSELS_OFFSET = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', timeZoneName: 'longOffset' });

/**
 * Midnight in Brussels of a yyyy-mm-dd date (plus `days`) as an ISO instant: performances are Belgian,
 * and the API's periods are Brussels time, wherever the reader's browser is.
 */
function midnight(date, days = 0) {
  const [year, month, day] = date.split('-').map(Number);
  const utc = Date.UTC(year, month - 1, day + days);
  const zone = BRUSSELS_OFFSET.formatToParts(new Date(utc)).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const [, sign = '+', hours = '0', minutes = '0'] = /GMT([+-])(\d{2}):(\d{2})/.exec(zone) ?? [];
  const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
  return new Date(utc - offset).toISOString();
}

/** The query of the selection: dimension filters, and from/to on the performance start (to inclusive, as a day). */
export function selectionQuery(filters) {
  const query = new URLSearchParams();
  for (const dimension of FILTER_DIMENSIONS) if (filters[dimension]) query.set(dimension, filters[dimension]);
  if (filters.from) query.set('from', midnight(filters.from));
  if (filters.to) query.set('to', midnight(filters.to, 1));
  return query;
}

/** GET /v1/research/participation for a grouping of the selection. */
export function participationPath(groupBy, filters, measures, format) {
  const query = selectionQuery(filters);
  if (groupBy.length > 0) query.set('groupBy', groupBy.join(','));
  if (measures) query.set('measures', measures.join(','));
  if (format) query.set('format', format);
  return `/v1/research/participation?${query}`;
}

/** Whether a measure of a cell is withheld: a null value or a confidential status is never shown as a number. */
export function isSuppressed(cell, measure) {
  const status = measure === 'revenue' ? cell?.revenueStatus : cell?.obsStatus;
  return !cell || status === 'C' || cell[measure] === null || cell[measure] === undefined;
}

// `percent`: a share or a change, in %.
const DIGITS = { penetration: 2, visitsPerParticipant: 2, index: 0, revenue: 0, participants: 0, tickets: 0, percent: 1 };

export function formatMeasure(value, measure, lang) {
  const digits = DIGITS[measure] ?? 0;
  const text = formatNumber(value, lang, { maximumFractionDigits: digits, minimumFractionDigits: measure === 'penetration' ? digits : 0 });
  return measure === 'revenue' ? `€ ${text}` : text;
}

/** A published figure, or the word "suppressed" (never a number, never zero) where the API withholds it. */
export function Figure({ cell, measure }) {
  const { lang, t } = useResearch();
  if (isSuppressed(cell, measure)) return html`<span class="suppressed" data-status="C">${t('suppressed')}</span>`;
  return html`<span data-status="A">${formatMeasure(cell[measure], measure, lang)}</span>`;
}

const LABEL_KEYS = { priceCategory: 'price', channel: 'channel' };

/** A code of a dimension in the reader's language (the API's label where it has one). */
export function codeLabel(t, dimension, code, label) {
  if (code === '_T' || code === '_U') return t(`code.${code}`);
  const prefix = LABEL_KEYS[dimension];
  if (prefix) {
    const key = `${prefix}.${code}`;
    const text = t(key);
    if (text !== key) return text;
  }
  return label && label !== code ? label : code;
}

/** Fetches `path` as CSV with the key and hands it to the browser as a download. */
export async function downloadCsv(api, path, fallbackName) {
  const { text, headers } = await api.raw(path, 'text/csv');
  const named = /filename="([^"]+)"/.exec(headers.get('content-disposition') ?? '');
  saveText(text, named ? named[1] : fallbackName);
}

/** Text as a file download. */
export function saveText(text, name, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function CsvButton({ view, onDownload }) {
  const { t } = useResearch();
  return html`<button type="button" class="csv" aria-label=${t('csv.label', { view })} onClick=${onDownload}>${t('csv.download')}</button>`;
}

/** A {nl, en} text (or a plain string) in the reader's language. */
export function message(text, lang) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[lang] ?? text.en ?? text.nl ?? '';
}
