// Batches of the selected source, its latest rejected items, and one batch: per-item results with their
// SHACL reasons (in the reader's language) beside the archived payload that caused them.
import { useEffect, useState } from 'preact/hooks';
import { ProblemNotice, StatusPill, formatBytes, formatNumber, formatTime, html, message, useConsole, useResource } from '../lib.js';

const SH = 'http://www.w3.org/ns/shacl#';
const short = (iri) => (iri?.startsWith(SH) ? `sh:${iri.slice(SH.length)}` : iri);

/** One validation result: the message first, then where and which rule. */
export function ResultItem({ result }) {
  const { t, lang } = useConsole();
  const severity = (result.severity ?? 'Violation').replace(SH, '');
  return html`<li class=${`result ${severity === 'Warning' ? 'warning' : ''}`}>
    <div class="message">${message(result.message, lang)}</div>
    <dl>
      <dt>${t('result.severity')}</dt><dd>${t(`severity.${severity}`)}</dd>
      ${result.path && html`<dt>${t('result.path')}</dt><dd class="mono">${result.path}</dd>`}
      ${result.focusNode && html`<dt>${t('result.focus')}</dt><dd class="mono">${result.focusNode}</dd>`}
      ${result.value !== undefined && html`<dt>${t('result.value')}</dt><dd class="mono">${String(result.value)}</dd>`}
      ${result.constraint && html`<dt>${t('result.rule')}</dt><dd class="mono">${short(result.constraint)}${result.sourceShape ? ` · ${result.sourceShape}` : ''}</dd>`}
      ${result.where && html`<dt>${t('result.where')}</dt><dd class="mono">${result.where}</dd>`}
    </dl>
  </li>`;
}

function Payload({ batchId, position }) {
  const { t, lang, api } = useConsole();
  const payload = useResource(() => api.raw(`/v1/batches/${batchId}/payload`), [batchId]);
  if (payload.error) return html`<${ProblemNotice} error=${payload.error} />`;
  if (!payload.data) return html`<p class="muted">${t('loading')}</p>`;
  let pretty = payload.data.text;
  let item = null;
  if (payload.data.contentType.includes('json')) {
    try {
      const parsed = JSON.parse(payload.data.text);
      pretty = JSON.stringify(parsed, null, 2);
      if (Array.isArray(parsed) && position !== null && parsed[position] !== undefined) item = JSON.stringify(parsed[position], null, 2);
    } catch {
      // not JSON after all: shown as received
    }
  }
  const origin = payload.data.headers.get('x-payload-origin');
  // The archive needs the bearer token, so a plain link would not do: the bytes are fetched, then saved.
  const download = async () => {
    const raw = await api.raw(`/v1/batches/${batchId}/payload`);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([raw.bytes], { type: raw.contentType }));
    link.download = `batch-${batchId}${raw.contentType.includes('json') ? '.json' : raw.contentType.includes('turtle') ? '.ttl' : ''}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  };
  return html`<section class="card" aria-labelledby="payload-title">
    <h3 id="payload-title">${t('payload.title')}</h3>
    <p class="muted">${payload.data.contentType} · ${formatBytes(payload.data.bytes.byteLength, lang)} · ${t('payload.received', { time: formatTime(payload.data.headers.get('x-received-at'), lang) })}${origin ? html` · <span class="mono">${origin}</span>` : ''}</p>
    ${item && html`<h4>${t('payload.item', { position })}</h4><pre class="payload" tabindex="0" aria-label=${t('payload.item', { position })}>${item}</pre>`}
    <details open=${!item}>
      <summary>${t('payload.whole')}</summary>
      <pre class="payload" tabindex="0" aria-label=${t('payload.whole')}>${pretty}</pre>
    </details>
    <p><button type="button" onClick=${download}>${t('payload.raw')}</button></p>
  </section>`;
}

function BatchDetail({ batchId, selected }) {
  const { t, lang, api } = useConsole();
  const batch = useResource(() => api.get(`/v1/batches/${batchId}`), [batchId], 0);
  const [position, setPosition] = useState(selected);
  const [filter, setFilter] = useState(selected === null ? 'rejected' : 'all');
  useEffect(() => {
    if (batch.data && (batch.data.status === 'queued' || batch.data.status === 'processing')) {
      const timer = setTimeout(() => batch.reload(), 1000);
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [batch.data]);
  useEffect(() => {
    if (position !== null) document.getElementById(`item-${position}`)?.scrollIntoView({ block: 'center' });
  }, [batch.data, position]);
  if (batch.error) return html`<div><h2>${t('batch.title')}</h2><${ProblemNotice} error=${batch.error} /></div>`;
  const data = batch.data;
  if (!data) return html`<p class="muted">${t('loading')}</p>`;
  const items = data.items.filter((item) => filter === 'all' || item.status === filter);
  return html`<div>
    <p><a href="#/batches">← ${t('batch.back')}</a></p>
    <h2>${t('batch.title')} <span class="mono" style="font-size:1rem">${data.batchId}</span></h2>
    <div class="stats">
      <div class="stat"><div class="value"><${StatusPill} status=${data.status} /></div><div class="label">${t('batch.status')}</div></div>
      <div class="stat"><div class="value">${formatNumber(data.summary.items, lang)}</div><div class="label">${t('batch.items')}</div></div>
      <div class="stat"><div class="value">${formatNumber(data.summary.accepted, lang)}</div><div class="label">${t('chart.accepted')}</div></div>
      <div class="stat"><div class="value">${formatNumber(data.summary.rejected, lang)}</div><div class="label">${t('chart.rejected')}</div></div>
      <div class="stat"><div class="value">${formatNumber(data.summary.unchanged, lang)}</div><div class="label">${t('chart.unchanged')}</div></div>
    </div>
    <p class="muted">${t('batch.received', { time: formatTime(data.receivedAt, lang), finished: formatTime(data.finishedAt, lang) })}</p>
    ${data.error && html`<div class="notice error">${t('batch.failed')}: ${data.error}</div>`}
    <section class="card" aria-labelledby="items-title">
      <div class="row">
        <h3 id="items-title">${t('batch.itemsTitle')}</h3><span class="spacer"></span>
        <label>${t('batch.show')} <select value=${filter} onChange=${(event) => setFilter(event.target.value)}>
          ${['rejected', 'accepted', 'unchanged', 'deleted', 'all'].map((status) => html`<option value=${status}>${t(`filter.${status}`)}</option>`)}
        </select></label>
      </div>
      ${items.length === 0 && html`<p class="muted">${t('batch.noItems')}</p>`}
      <ul style="list-style:none;padding:0;margin:0">
        ${items.map(
          (item) => html`<li id=${`item-${item.position}`} class="card" style=${item.position === position ? 'border-color:#0a6ebd;box-shadow:0 0 0 2px #b4d3f5' : ''}>
            <div class="row">
              <strong>#${item.position}</strong>
              <span class="mono">${item.externalId ?? '—'}</span>
              <${StatusPill} status=${item.status} />
              <span class="spacer"></span>
              ${item.activityId && item.status !== 'rejected' && html`<a href=${`/id/activiteit/${item.activityId}`}>${t('batch.published')}</a>`}
              <button type="button" onClick=${() => setPosition(item.position)} aria-pressed=${String(item.position === position)}>${t('batch.showPayload')}</button>
            </div>
            ${item.results.length > 0 && html`<ul style="list-style:none;padding:0;margin:.4rem 0 0" aria-label=${t('batch.reasons', { position: item.position })}>${item.results.map((result) => html`<${ResultItem} result=${result} />`)}</ul>`}
          </li>`,
        )}
      </ul>
    </section>
    <${Payload} batchId=${batchId} position=${position} />
  </div>`;
}

function BatchList() {
  const { t, lang, api, sourceId } = useConsole();
  const [rejectedOnly, setRejectedOnly] = useState(false);
  const base = `/v1/sources/${encodeURIComponent(sourceId)}`;
  const batches = useResource(() => api.get(`${base}/batches?limit=50${rejectedOnly ? '&rejected=true' : ''}`), [sourceId, rejectedOnly], 10000);
  const rejections = useResource(() => api.get(`${base}/rejections?limit=20`), [sourceId], 10000);
  return html`<div>
    <h2>${t('batches.title')}</h2>
    <${ProblemNotice} error=${batches.error ?? rejections.error} />
    <section class="card" aria-labelledby="rejections-title">
      <h3 id="rejections-title">${t('rejections.title')}</h3>
      ${(rejections.data ?? []).length === 0
        ? html`<p class="muted">${t('rejections.none')}</p>`
        : html`<table>
            <thead><tr><th scope="col">${t('rejections.when')}</th><th scope="col">${t('rejections.item')}</th><th scope="col">${t('rejections.reason')}</th></tr></thead>
            <tbody>${rejections.data.map(
              (item) => html`<tr>
                <td class="nowrap">${formatTime(item.createdAt, lang)}</td>
                <td class="nowrap"><a href=${`#/batches/${item.batchId}?item=${item.position}`}>${item.externalId ?? `#${item.position}`}</a></td>
                <td>${message(item.results[0]?.message, lang)}${item.results.length > 1 ? html` <span class="muted">(+${item.results.length - 1})</span>` : ''}</td>
              </tr>`,
            )}</tbody>
          </table>`}
    </section>
    <section class="card" aria-labelledby="batches-title">
      <div class="row"><h3 id="batches-title">${t('batches.list')}</h3><span class="spacer"></span>
        <label><input type="checkbox" checked=${rejectedOnly} onChange=${(event) => setRejectedOnly(event.target.checked)} /> ${t('batches.onlyRejected')}</label>
      </div>
      ${(batches.data ?? []).length === 0
        ? html`<p class="muted">${t('batches.none')}</p>`
        : html`<table>
            <thead><tr><th scope="col">${t('batches.received')}</th><th scope="col">${t('batch.status')}</th><th scope="col">${t('batches.origin')}</th>
              <th scope="col" class="num">${t('batch.items')}</th><th scope="col" class="num">${t('chart.accepted')}</th><th scope="col" class="num">${t('chart.rejected')}</th><th scope="col" class="num">${t('chart.unchanged')}</th><th scope="col" class="num">${t('batches.size')}</th></tr></thead>
            <tbody>${batches.data.map(
              (batch) => html`<tr>
                <td class="nowrap"><a href=${`#/batches/${batch.batchId}`}>${formatTime(batch.receivedAt, lang)}</a></td>
                <td><${StatusPill} status=${batch.status} /></td>
                <td>${batch.runId ? t('batches.run') : t('batches.push')} <span class="muted">${batch.contentType.split(';')[0]}</span></td>
                <td class="num">${formatNumber(batch.itemCount, lang)}</td><td class="num">${formatNumber(batch.accepted, lang)}</td>
                <td class="num">${batch.rejected > 0 ? html`<strong style="color:var(--bad)">${formatNumber(batch.rejected, lang)}</strong>` : '0'}</td>
                <td class="num">${formatNumber(batch.unchanged, lang)}</td><td class="num">${formatBytes(batch.sizeBytes, lang)}</td>
              </tr>`,
            )}</tbody>
          </table>`}
    </section>
  </div>`;
}

export function BatchesView({ argument, query }) {
  const { t, sourceId } = useConsole();
  if (argument) {
    const item = query.get('item');
    return html`<${BatchDetail} batchId=${argument} selected=${item === null ? null : Number(item)} />`;
  }
  if (!sourceId) return html`<p class="muted">${t('sources.none')}</p>`;
  return html`<${BatchList} />`;
}
