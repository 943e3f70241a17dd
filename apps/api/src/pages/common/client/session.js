// What the console and the research page share around their views: the reader's language, a key kept
// in this tab only (sessionStorage) and checked against the API, and the sign-in form.
import { h } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import htm from 'htm';
import { LanguageSwitch, ProblemText, initialLanguage } from './language.js';

const html = htm.bind(h);

/** { lang, setLang, t }: the stored or browser language, reflected in <html lang>. */
export function usePageLanguage(storageKey, translator) {
  const [lang, setLangState] = useState(initialLanguage(storageKey));
  const t = useMemo(() => translator(lang), [lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = (code) => {
    localStorage.setItem(storageKey, code);
    setLangState(code);
  };
  return { lang, setLang, t };
}

/**
 * The key of this tab's session. `verify(key)` resolves to what the page needs about it (or throws);
 * a stored key is verified once at start, and forgotten when it no longer works.
 */
export function useKeySession(storageKey, verify) {
  const [session, setSession] = useState(null);
  const [checking, setChecking] = useState(Boolean(sessionStorage.getItem(storageKey)));
  useEffect(() => {
    const key = sessionStorage.getItem(storageKey);
    if (!key) return;
    verify(key)
      .then((about) => setSession({ key, about }))
      .catch(() => sessionStorage.removeItem(storageKey))
      .finally(() => setChecking(false));
  }, []);
  return {
    session,
    checking,
    signIn(key, about) {
      sessionStorage.setItem(storageKey, key);
      setSession({ key, about });
    },
    signOut() {
      sessionStorage.removeItem(storageKey);
      setSession(null);
    },
  };
}

/** The sign-in page: one secret field (`field` is its label), checked with `verify` before `onSignedIn(key, about)`. */
export function SignInPage({ t, lang, setLang, field, verify, onSignedIn, children }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(key.trim(), await verify(key.trim()));
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="signin" id="main">
    <div class="row"><span class="spacer"></span><${LanguageSwitch} lang=${lang} setLang=${setLang} label=${t('language.label')} /></div>
    <h1>${t('signin.title')}</h1>
    <p class="muted">${t('signin.intro')}</p>
    <${ProblemText} error=${error} lang=${lang} title=${t('error.title')} />
    <form class="stack card" onSubmit=${submit}>
      <label class="field">${field}
        <input type="password" name="key" autocomplete="current-password" required value=${key} onInput=${(event) => setKey(event.target.value)} />
        <span class="hint">${t('signin.hint')}</span>
      </label>
      <div><button class="primary" type="submit" disabled=${busy}>${t('signin.submit')}</button></div>
    </form>
    ${children}
  </main>`;
}
