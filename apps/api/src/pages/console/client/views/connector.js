// Connector settings and runs of the selected source; a running run's counts update every 2 s.
import { useEffect, useState } from 'preact/hooks';
import { ProblemNotice, StatusPill, formatNumber, formatTime, html, useConsole, useResource } from '../lib.js';

const ACTIVE = new Set(['queued', 'running']);

function Settings({ sourceId, connector, onSaved }) {
  const { t, api, me } = useConsole();
  const [form, setForm] = useState(null);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setForm({
      baseUrl: connector?.baseUrl ?? '',
      everyMinutes: connector?.everyMinutes ?? '',
      options: JSON.stringify(connector?.options ?? {}, null, 2),
      credentials: '',
    });
  }, [connector]);
  if (!form) return null;
  const editable = me.role === 'admin';
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    let options;
    let credentials;
    try {
      options = JSON.parse(form.options || '{}');
      credentials = form.credentials.trim() ? JSON.parse(form.credentials) : undefined;
    } catch (parseError) {
      setError({ messages: { nl: `Geen geldige JSON: ${parseError.message}`, en: `Not valid JSON: ${parseError.message}` } });
      return;
    }
    try {
      await api.put(`/v1/admin/sources/${encodeURIComponent(sourceId)}/connector`, {
        baseUrl: form.baseUrl,
        everyMinutes: form.everyMinutes === '' ? null : Number(form.everyMinutes),
        options,
        ...(credentials ? { credentials } : {}),
      });
      setSaved(true);
      onSaved();
    } catch (problem) {
      setError(problem);
    }
  };
  const field = (name) => (event) => setForm({ ...form, [name]: event.target.value });
  return html`<section class="card" aria-labelledby="settings-title">
    <h3 id="settings-title">${t('connector.settings')}</h3>
    <${ProblemNotice} error=${error} />
    ${saved && html`<div class="notice ok" role="status">${t('connector.saved')}</div>`}
    ${connector && html`<p class="muted">${t('connector.cursor')}: <code>${JSON.stringify(connector.cursor ?? null)}</code>${connector.credentials?.length ? ` · ${t("connector.secrets")}: ${connector.credentials.join(", ")}` : ''}</p>`}
    <form class="stack" onSubmit=${submit}>
      <label class="field">${t('connector.baseUrl')}<input type="url" required readonly=${!editable} value=${form.baseUrl} onInput=${field('baseUrl')} /></label>
      <label class="field">${t('connector.every')}<input type="number" min="1" max="10080" readonly=${!editable} value=${form.everyMinutes} onInput=${field('everyMinutes')} /><span class="hint">${t('connector.everyHint')}</span></label>
      <label class="field">${t('connector.options')}<textarea class="mono" readonly=${!editable} value=${form.options} onInput=${field('options')}></textarea></label>
      ${editable && html`<label class="field">${t('connector.credentials')}<textarea class="mono" placeholder='{"apiKey": "..."}' value=${form.credentials} onInput=${field('credentials')}></textarea><span class="hint">${t('connector.credentialsHint')}</span></label>
        <div><button class="primary" type="submit">${t('connector.save')}</button></div>`}
    </form>
  </section>`;
}

function RunRow({ run }) {
  const { t, lang } = useConsole();
  const [open, setOpen] = useState(false);
  const processed = run.accepted + run.rejected + run.unchanged + run.deleted;
  return html`<tr>
      <td class="nowrap">${formatTime(run.startedAt, lang)}</td>
      <td><${StatusPill} status=${run.status} /> ${ACTIVE.has(run.status) && html`<span class="progress" style="display:inline-block;width:6rem;vertical-align:middle" role="progressbar" aria-label=${t('runs.progress')} aria-valuetext=${t('runs.pagesDone', { pages: run.pages })}><span style=${`width:${Math.min(100, 10 + run.pages * 10)}%`}></span></span>`}</td>
      <td>${t(`trigger.${run.trigger}`)}</td>
      <td class="num">${formatNumber(run.pages, lang)}</td>
      <td class="num">${formatNumber(run.fetched, lang)}</td>
      <td class="num">${formatNumber(run.accepted, lang)}</td>
      <td class="num">${formatNumber(run.rejected, lang)}</td>
      <td class="num">${formatNumber(run.unchanged, lang)}</td>
      <td class="num">${run.durationMs === null ? '…' : `${formatNumber(Math.round(run.durationMs / 100) / 10, lang)} s`}</td>
      <td>${(run.error || run.rejections.length > 0) && html`<button type="button" aria-expanded=${String(open)} onClick=${() => setOpen(!open)}>${t('runs.details')}</button>`}</td>
    </tr>
    ${open && html`<tr><td colspan="10">
      ${run.error && html`<div class="notice error">${run.error}</div>`}
      ${run.rejections.length > 0 && html`<ul>${run.rejections.map((rejection) => html`<li>${rejection.batchId ? html`<a href=${`#/batches/${rejection.batchId}?item=${rejection.position}`}>${rejection.externalId ?? `#${rejection.position}`}</a>` : rejection.externalId ?? `#${rejection.position}`}</li>`)}</ul>`}
    </td></tr>`}`;
}

export function ConnectorView() {
  const { t, api, me, sourceId, sources } = useConsole();
  const source = sources.find((entry) => entry.id === sourceId);
  const base = `/v1/sources/${encodeURIComponent(sourceId ?? '')}`;
  const connector = useResource(() => api.get(`${base}/connector`).catch((error) => (error.status === 404 ? null : Promise.reject(error))), [sourceId]);
  const [fast, setFast] = useState(false);
  const runs = useResource(() => api.get(`${base}/runs?limit=20`), [sourceId, fast], fast ? 2000 : 10000);
  const [error, setError] = useState(null);
  useEffect(() => setFast((runs.data ?? []).some((run) => ACTIVE.has(run.status))), [runs.data]);
  if (!sourceId) return html`<p class="muted">${t('sources.none')}</p>`;
  if (source && source.kind === 'push') return html`<div><h2>${t('connector.title')}</h2><p>${t('connector.pushOnly', { source: sourceId })}</p></div>`;
  const start = async () => {
    setError(null);
    try {
      await api.post(`/v1/admin/sources/${encodeURIComponent(sourceId)}/runs`);
      setFast(true);
      await runs.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const resetCursor = async () => {
    if (!window.confirm(t('connector.resetConfirm'))) return;
    try {
      await api.delete(`/v1/admin/sources/${encodeURIComponent(sourceId)}/connector/cursor`);
      await connector.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  return html`<div>
    <h2>${t('connector.title')}</h2>
    <${ProblemNotice} error=${error ?? connector.error ?? runs.error} />
    ${connector.data === null && html`<p class="notice info">${t('connector.none')}</p>`}
    ${connector.data !== undefined && (connector.data || me.role === 'admin') && html`<${Settings} sourceId=${sourceId} connector=${connector.data} onSaved=${() => connector.reload()} />`}
    <section class="card" aria-labelledby="runs-title">
      <div class="row">
        <h3 id="runs-title">${t('runs.title')}</h3>
        <span class="spacer"></span>
        <span class="muted" aria-live="polite">${fast ? t('runs.live') : ''}</span>
        ${me.role === 'admin' && connector.data && html`<button type="button" onClick=${resetCursor}>${t('connector.reset')}</button><button type="button" class="primary" onClick=${start}>${t('runs.start')}</button>`}
      </div>
      ${(runs.data ?? []).length === 0
        ? html`<p class="muted">${t('runs.none')}</p>`
        : html`<table>
            <thead><tr>
              <th scope="col">${t('runs.started')}</th><th scope="col">${t('runs.status')}</th><th scope="col">${t('runs.trigger')}</th>
              <th scope="col" class="num">${t('runs.pages')}</th><th scope="col" class="num">${t('runs.fetched')}</th><th scope="col" class="num">${t('chart.accepted')}</th>
              <th scope="col" class="num">${t('chart.rejected')}</th><th scope="col" class="num">${t('chart.unchanged')}</th><th scope="col" class="num">${t('runs.duration')}</th><th scope="col"><span class="visually-hidden">${t('actions')}</span></th>
            </tr></thead>
            <tbody>${runs.data.map((run) => html`<${RunRow} key=${run.id} run=${run} />`)}</tbody>
          </table>`}
    </section>
  </div>`;
}
