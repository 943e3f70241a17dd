// Dutch and English on every page: the reader's language, a translator over a page's string table, the switch.
import { h } from 'preact';
import htm from 'htm';

const html = htm.bind(h);

/** The stored choice, else the browser's language (English if it starts with "en", else Dutch). */
export function initialLanguage(storageKey) {
  const stored = localStorage.getItem(storageKey);
  if (stored === 'nl' || stored === 'en') return stored;
  return (navigator.language ?? 'nl').toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/** t(key, {name}) over `strings` = {nl: {...}, en: {...}}; a key missing in the language falls back to English, then to the key. */
export function translatorOver(strings, lang) {
  const table = strings[lang] ?? strings.nl;
  return (key, parameters = {}) => {
    const text = table[key] ?? strings.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (_, name) => String(parameters[name] ?? ''));
  };
}

export function formatNumber(value, lang, options = {}) {
  return new Intl.NumberFormat(lang === 'nl' ? 'nl-BE' : 'en-GB', options).format(value ?? 0);
}

/** Nederlands | English, each button in its own language; `label` names the group for screen readers. */
export function LanguageSwitch({ lang, setLang, label }) {
  return html`<div class="row" role="group" aria-label=${label}>
    ${['nl', 'en'].map(
      (code) => html`<button type="button" lang=${code} aria-pressed=${String(lang === code)} onClick=${() => setLang(code)}
        style=${lang === code ? 'font-weight:700' : ''}>${code === 'nl' ? 'Nederlands' : 'English'}</button>`,
    )}
  </div>`;
}

/** A platform error in the reader's language, with where it was found. */
export function ProblemText({ error, lang, title }) {
  if (!error) return null;
  const message = error.messages ? error.messages[lang] ?? error.messages.en : String(error.message ?? error);
  return html`<div class="notice error" role="alert"><strong>${title}</strong> ${message}${error.where ? html` <span class="mono">(${error.where})</span>` : ''}</div>`;
}
