// The reconciliation review list (operator only): matches the platform was not sure of, to confirm or
// reject; confirmed ones can be unlinked again.
import { useState } from 'preact/hooks';
import { ProblemNotice, StatusPill, formatTime, html, message, useConsole, useResource } from '../lib.js';

function ActivityCard({ activity, label }) {
  const { t, lang } = useConsole();
  if (!activity) return html`<div class="muted">${t('review.gone')}</div>`;
  return html`<div>
    <div class="muted">${label}: <strong>${activity.source}</strong> · <span class="mono">${activity.externalId}</span></div>
    <div style="font-weight:650;font-size:1.05rem">${message(activity.title, lang)}</div>
    <div>${activity.place ?? '—'} · ${formatTime(activity.firstStart, lang)}</div>
    <a href=${`/id/activiteit/${activity.id}`}>${t('review.open')}</a>
  </div>`;
}

export function ReviewView() {
  const { t, lang, api } = useConsole();
  const [status, setStatus] = useState('open');
  const candidates = useResource(() => api.get(`/v1/admin/reconciliation/candidates?status=${status}`), [status], 15000);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const act = async (label, call) => {
    setError(null);
    setNotice(null);
    try {
      await call();
      setNotice(label);
      await candidates.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  const reasons = (candidate) =>
    Object.entries(candidate.reasons ?? {})
      .filter(([key, value]) => key !== 'score' && typeof value === 'number')
      .map(([key, value]) => `${t(`reason.${key}`)} ${key === 'startDeltaMinutes' ? `${value} min` : `${Math.round(value * 100)} %`}`)
      .join(' · ');
  return html`<div>
    <h2>${t('review.title')}</h2>
    <p class="muted">${t('review.intro')}</p>
    <div class="row" role="group" aria-label=${t('review.filter')} style="margin-bottom:1rem">
      ${['open', 'confirmed', 'rejected'].map((value) => html`<button type="button" aria-pressed=${String(status === value)} class=${status === value ? 'primary' : ''} onClick=${() => setStatus(value)}>${t(`filter.${value}`)}</button>`)}
    </div>
    <${ProblemNotice} error=${error ?? candidates.error} />
    ${notice && html`<div class="notice ok" role="status">${notice}</div>`}
    ${(candidates.data ?? []).length === 0 && !candidates.loading && html`<p class="muted">${t('review.none')}</p>`}
    ${(candidates.data ?? []).map(
      (candidate) => html`<section class="card" aria-label=${t('review.candidate', { a: message(candidate.activity?.title, lang), b: message(candidate.other?.title, lang) })}>
        <div class="candidate">
          <${ActivityCard} activity=${candidate.activity} label=${t('review.record')} />
          <div class="vs"><div class="score">${Math.round(candidate.score * 100)} %</div><div class="muted">${t('review.score')}</div><${StatusPill} status=${candidate.status} /></div>
          <${ActivityCard} activity=${candidate.other} label=${t('review.record')} />
        </div>
        <p class="muted">${reasons(candidate)} · ${t('review.proposed', { time: formatTime(candidate.createdAt, lang) })}</p>
        <div class="row">
          ${candidate.status === 'open' && html`
            <button type="button" class="primary" onClick=${() => act(t('review.confirmed'), () => api.post(`/v1/admin/reconciliation/candidates/${candidate.id}/confirm`))}>${t('review.confirm')}</button>
            <button type="button" class="danger" onClick=${() => act(t('review.rejected'), () => api.post(`/v1/admin/reconciliation/candidates/${candidate.id}/reject`))}>${t('review.reject')}</button>`}
          ${candidate.status === 'confirmed' && html`
            <button type="button" class="danger" onClick=${() => act(t('review.unlinked'), () => api.delete(`/v1/admin/reconciliation/links/${candidate.otherActivityId}`))}>${t('review.unlink')}</button>`}
        </div>
      </section>`,
    )}
  </div>`;
}
