// Webhook subscriptions of every consumer (operator only: webhooks belong to consumers, not to a
// vendor's source): their health, one subscription's delivery log, and replay from a change number or
// a time. Everything goes through /v1/admin/webhooks.
import { useState } from 'preact/hooks';
import { ProblemNotice, StatusPill, formatNumber, formatTime, html, useConsole, useResource } from '../lib.js';

function ReplayForm({ subscription, onReplayed }) {
  const { t, lang, api } = useConsole();
  const [mode, setMode] = useState('change');
  const [from, setFrom] = useState(subscription.firstChangeNumber);
  const [since, setSince] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      // datetime-local has no zone: it is the reader's local time.
      const body = mode === 'change' ? { fromChangeNumber: from.trim() } : { since: since ? new Date(since).toISOString() : '' };
      const answer = await api.post(`/v1/admin/webhooks/${subscription.id}/replay`, body);
      setResult(answer);
      onReplayed();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="card" aria-labelledby="replay-title">
    <h3 id="replay-title">${t('webhooks.replay')}</h3>
    <p class="muted">${t('webhooks.replayIntro')}</p>
    <${ProblemNotice} error=${error} />
    ${result && html`<div class="notice ok" role="status">${t(result.complete ? 'webhooks.replayed' : 'webhooks.replayedPartly', {
      queued: formatNumber(result.queued, lang),
      from: result.fromChangeNumber,
      through: result.throughChangeNumber,
    })}</div>`}
    <form class="stack" onSubmit=${submit}>
      <fieldset class="row">
        <legend>${t('webhooks.replayFrom')}</legend>
        <label><input type="radio" name="replay-mode" value="change" checked=${mode === 'change'} onChange=${() => setMode('change')} /> ${t('webhooks.fromChange')}</label>
        <label><input type="radio" name="replay-mode" value="time" checked=${mode === 'time'} onChange=${() => setMode('time')} /> ${t('webhooks.fromTime')}</label>
      </fieldset>
      ${mode === 'change'
        ? html`<label class="field">${t('webhooks.changeNumber')}
            <input name="fromChangeNumber" inputmode="numeric" required value=${from} onInput=${(event) => setFrom(event.target.value)} /></label>`
        : html`<label class="field">${t('webhooks.since')}
            <input type="datetime-local" name="since" step="1" required value=${since} onInput=${(event) => setSince(event.target.value)} /></label>`}
      <div><button class="primary" type="submit" disabled=${busy}>${t('webhooks.replaySubmit')}</button></div>
    </form>
  </section>`;
}

function DeliveryLog({ subscription }) {
  const { t, lang, api } = useConsole();
  const [status, setStatus] = useState('');
  const log = useResource(() => api.get(`/v1/admin/webhooks/${subscription.id}/deliveries?limit=50${status ? `&status=${status}` : ''}`), [subscription.id, status], 5000);
  const items = log.data?.items ?? [];
  return html`<section class="card" aria-labelledby="deliveries-title">
    <h3 id="deliveries-title">${t('webhooks.log')}</h3>
    <div class="row" style="margin-bottom:.6rem">
      <label for="delivery-status">${t('webhooks.showStatus')}</label>
      <select id="delivery-status" value=${status} onChange=${(event) => setStatus(event.target.value)}>
        <option value="">${t('webhooks.all')}</option>
        ${['pending', 'delivered', 'failed', 'gone', 'skipped'].map((value) => html`<option value=${value}>${t(`status.${value}`)}</option>`)}
      </select>
      <span class="muted">${t('webhooks.refresh')}</span>
    </div>
    <${ProblemNotice} error=${log.error} />
    ${items.length === 0 && !log.loading
      ? html`<p class="muted">${t('webhooks.noDeliveries')}</p>`
      : html`<table aria-label=${t('webhooks.log')}>
          <thead><tr>
            <th scope="col" class="num">${t('webhooks.change')}</th><th scope="col">${t('webhooks.event')}</th><th scope="col">webhook-id</th>
            <th scope="col">${t('runs.status')}</th><th scope="col" class="num">${t('webhooks.attempts')}</th><th scope="col" class="num">${t('webhooks.code')}</th>
            <th scope="col" class="num">${t('webhooks.latency')}</th><th scope="col">${t('webhooks.error')}</th><th scope="col">${t('webhooks.next')}</th>
          </tr></thead>
          <tbody>
            ${items.map((delivery) => {
              const last = delivery.attemptLog?.[delivery.attemptLog.length - 1];
              return html`<tr data-change=${delivery.changeNumber}>
                <td class="num">${delivery.changeNumber}</td>
                <td class="mono">${delivery.eventType}</td>
                <td class="mono" data-field="webhook-id">${delivery.messageId}</td>
                <td><${StatusPill} status=${delivery.status} /></td>
                <td class="num">${delivery.attempts}</td>
                <td class="num" data-field="code">${delivery.lastStatusCode ?? '—'}</td>
                <td class="num">${last ? `${formatNumber(last.durationMs, lang)} ms` : '—'}</td>
                <td data-field="error">${delivery.lastError ?? '—'}</td>
                <td class="nowrap">${delivery.status === 'pending' && delivery.nextAttemptAt ? formatTime(delivery.nextAttemptAt, lang) : '—'}</td>
              </tr>`;
            })}
          </tbody>
        </table>`}
  </section>`;
}

function SubscriptionDetail({ subscription, reload }) {
  const { t, lang } = useConsole();
  return html`<div>
    <h2>${t('webhooks.one', { consumer: subscription.consumer.name })}</h2>
    <p><a href="#/webhooks">${t('webhooks.back')}</a></p>
    <section class="card" aria-labelledby="subscription-title">
      <h3 id="subscription-title">${subscription.description ?? subscription.url}</h3>
      <dl class="facts">
        <dt>${t('webhooks.health')}</dt><dd><${StatusPill} status=${subscription.health} />${subscription.disabledReason ? html` <span class="muted">(${t(`webhooks.reason.${subscription.disabledReason}`)})</span>` : ''}</dd>
        <dt>URL</dt><dd class="mono">${subscription.url}</dd>
        <dt>${t('webhooks.consumer')}</dt><dd>${subscription.consumer.name} (<span class="mono">${subscription.consumer.id}</span>)</dd>
        <dt>${t('webhooks.firstChange')}</dt><dd>${subscription.firstChangeNumber}</dd>
        <dt>${t('webhooks.lastSuccess')}</dt><dd>${formatTime(subscription.lastSuccessAt, lang)}</dd>
        <dt>${t('webhooks.filters')}</dt><dd class="mono">${Object.keys(subscription.filters ?? {}).length ? JSON.stringify(subscription.filters) : t('webhooks.everything')}</dd>
      </dl>
    </section>
    <${DeliveryLog} subscription=${subscription} />
    ${subscription.status === 'active'
      ? html`<${ReplayForm} subscription=${subscription} onReplayed=${reload} />`
      : html`<div class="notice info" role="note">${t('webhooks.disabledNote')}</div>`}
  </div>`;
}

export function WebhooksView({ argument }) {
  const { t, lang, api } = useConsole();
  const list = useResource(() => api.get('/v1/admin/webhooks'), [], 10000);
  const subscriptions = list.data ?? [];
  if (argument) {
    const subscription = subscriptions.find((candidate) => candidate.id === argument);
    if (!subscription) {
      return html`<div><h2>${t('webhooks.title')}</h2><${ProblemNotice} error=${list.error} />
        ${!list.loading && !list.error && html`<p>${t('webhooks.unknown', { id: argument })} <a href="#/webhooks">${t('webhooks.back')}</a></p>`}</div>`;
    }
    return html`<${SubscriptionDetail} subscription=${subscription} reload=${list.reload} />`;
  }
  return html`<div>
    <h2>${t('webhooks.title')}</h2>
    <p class="muted">${t('webhooks.intro')}</p>
    <${ProblemNotice} error=${list.error} />
    ${subscriptions.length === 0 && !list.loading
      ? html`<p class="muted">${t('webhooks.none')}</p>`
      : html`<section class="card" aria-labelledby="subscriptions-title">
          <h3 id="subscriptions-title">${t('webhooks.list')}</h3>
          <table>
            <thead><tr>
              <th scope="col">${t('webhooks.consumer')}</th><th scope="col">${t('webhooks.target')}</th><th scope="col">${t('webhooks.health')}</th>
              <th scope="col" class="num">${t('webhooks.delivered')}</th><th scope="col" class="num">${t('webhooks.retrying')}</th><th scope="col" class="num">${t('webhooks.failed')}</th>
              <th scope="col">${t('webhooks.lastSuccess')}</th>
            </tr></thead>
            <tbody>
              ${subscriptions.map(
                (subscription) => html`<tr data-subscription=${subscription.id}>
                  <td>${subscription.consumer.name}</td>
                  <td><a href=${`#/webhooks/${subscription.id}`}>${subscription.description ?? subscription.url}</a><div class="muted mono">${subscription.url}</div></td>
                  <td><${StatusPill} status=${subscription.health} /></td>
                  <td class="num">${formatNumber(subscription.deliveries.delivered, lang)}</td>
                  <td class="num">${formatNumber(subscription.deliveries.retrying, lang)}</td>
                  <td class="num">${formatNumber(subscription.deliveries.failed, lang)}</td>
                  <td class="nowrap">${formatTime(subscription.lastSuccessAt, lang)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </section>`}
  </div>`;
}
