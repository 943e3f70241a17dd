// Sources and their vendor keys: create a source (operator), issue and revoke keys (operator, or a vendor for its own).
import { useState } from 'preact/hooks';
import { ProblemNotice, formatTime, html, useConsole, useResource } from '../lib.js';

const KINDS = ['push', 'uitdatabank', 'ticketmatic', 'yesplan', 'rpde', 'ldes'];

function NewSource() {
  const { t, api, reloadSources, setSourceId } = useConsole();
  const [form, setForm] = useState({ id: '', name: '', kind: 'push' });
  const [error, setError] = useState(null);
  const [created, setCreated] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    try {
      const answer = await api.post('/v1/admin/sources', form);
      setCreated(answer);
      setForm({ id: '', name: '', kind: 'push' });
      await reloadSources();
      setSourceId(answer.source.id);
    } catch (problem) {
      setError(problem);
    }
  };
  const field = (name) => (event) => setForm({ ...form, [name]: event.target.value });
  return html`<section class="card" aria-labelledby="new-source">
    <h3 id="new-source">${t('sources.new')}</h3>
    <${ProblemNotice} error=${error} />
    ${created && html`<div class="notice ok" role="status">${t('sources.created', { id: created.source.id })}<br />${t('keys.once')}<br /><code class="secret">${created.key}</code></div>`}
    <form class="inline" onSubmit=${submit}>
      <label class="field">${t('sources.id')}<input required pattern="[a-z0-9][a-z0-9-]{1,62}" value=${form.id} onInput=${field('id')} /></label>
      <label class="field">${t('sources.name')}<input required value=${form.name} onInput=${field('name')} /></label>
      <label class="field">${t('sources.kind')}<select value=${form.kind} onChange=${field('kind')}>${KINDS.map((kind) => html`<option value=${kind}>${kind}</option>`)}</select></label>
      <button class="primary" type="submit">${t('sources.create')}</button>
    </form>
  </section>`;
}

function Keys({ sourceId }) {
  const { t, lang, api } = useConsole();
  const keys = useResource(() => api.get(`/v1/sources/${encodeURIComponent(sourceId)}/keys`), [sourceId]);
  const [issued, setIssued] = useState(null);
  const [error, setError] = useState(null);
  const issue = async () => {
    setError(null);
    try {
      setIssued(await api.post(`/v1/sources/${encodeURIComponent(sourceId)}/keys`));
      await keys.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const revoke = async (key) => {
    if (!window.confirm(key.current ? t('keys.revokeOwn') : t('keys.revokeConfirm', { prefix: key.keyPrefix }))) return;
    setError(null);
    try {
      await api.delete(`/v1/sources/${encodeURIComponent(sourceId)}/keys/${key.keyId}`);
      await keys.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  return html`<section class="card" aria-labelledby="keys-title">
    <div class="row"><h3 id="keys-title">${t('keys.title', { source: sourceId })}</h3><span class="spacer"></span><button type="button" class="primary" onClick=${issue}>${t('keys.issue')}</button></div>
    <${ProblemNotice} error=${error ?? keys.error} />
    ${issued && html`<div class="notice ok" role="status">${t('keys.once')}<br /><code class="secret">${issued.key}</code></div>`}
    <table>
      <thead><tr><th scope="col">${t('keys.prefix')}</th><th scope="col">${t('keys.created')}</th><th scope="col">${t('keys.state')}</th><th scope="col"><span class="visually-hidden">${t('actions')}</span></th></tr></thead>
      <tbody>
        ${(keys.data ?? []).map(
          (key) => html`<tr>
            <td class="mono">${key.keyPrefix}…${key.current ? html` <span class="pill run">${t('keys.current')}</span>` : ''}</td>
            <td>${formatTime(key.createdAt, lang)}</td>
            <td>${key.revokedAt ? html`<span class="pill idle">${t('keys.revoked', { time: formatTime(key.revokedAt, lang) })}</span>` : html`<span class="pill ok">${t('keys.live')}</span>`}</td>
            <td>${!key.revokedAt && html`<button type="button" class="danger" onClick=${() => revoke(key)} aria-label=${t('keys.revokeLabel', { prefix: key.keyPrefix })}>${t('keys.revoke')}</button>`}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function SourcesView() {
  const { t, lang, me, sources, sourceId, setSourceId } = useConsole();
  return html`<div>
    <h2>${t('sources.title')}</h2>
    ${me.role === 'admin' && html`<${NewSource} />`}
    <section class="card" aria-labelledby="source-list">
      <h3 id="source-list">${t('sources.list')}</h3>
      <table>
        <thead><tr><th scope="col">${t('sources.id')}</th><th scope="col">${t('sources.name')}</th><th scope="col">${t('sources.kind')}</th><th scope="col">${t('sources.since')}</th><th scope="col"><span class="visually-hidden">${t('actions')}</span></th></tr></thead>
        <tbody>
          ${sources.map(
            (source) => html`<tr>
              <td class="mono">${source.id}</td><td>${source.name}</td><td>${source.kind}</td><td>${formatTime(source.createdAt, lang)}</td>
              <td>${source.id === sourceId ? html`<span class="pill run">${t('sources.selected')}</span>` : html`<button type="button" onClick=${() => setSourceId(source.id)}>${t('sources.choose')}</button>`}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </section>
    ${sourceId ? html`<${Keys} sourceId=${sourceId} />` : html`<p class="muted">${t('sources.none')}</p>`}
  </div>`;
}
