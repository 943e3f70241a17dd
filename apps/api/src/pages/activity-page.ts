import type { AvailabilityLevel, LangString, Performance, PerformanceStatus } from '@platform/domain';
import { activityToSchemaOrg, type JsonObject } from '@platform/linked-data';
import type { PublishedDescription } from '../published/published-descriptions.js';

/** Text for HTML content and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!);
}

/** JSON inside <script>: nothing in it can close the element or open a comment (HTML spec, "script data"). */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const DATE = new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit' });
const MONEY = new Intl.NumberFormat('nl-BE', { style: 'currency', currency: 'EUR' });

const LEVEL_TEXT: Record<AvailabilityLevel, string> = { InStock: 'Tickets beschikbaar', LimitedAvailability: 'Laatste tickets', OutOfStock: 'Uitverkocht' };
const STATUS_TEXT: Record<PerformanceStatus, string> = { scheduled: 'Gaat door', cancelled: 'Geannuleerd', postponed: 'Uitgesteld' };

function pick(text: LangString | undefined): string {
  if (!text) return '';
  return text.nl ?? Object.values(text).find((value) => value !== undefined) ?? '';
}

function when(performance: Performance): string {
  const start = new Date(performance.start);
  const end = performance.end ? new Date(performance.end) : undefined;
  const sameDay = end && DATE.format(start) === DATE.format(end);
  const until = end ? (sameDay ? `–${TIME.format(end)}` : ` tot ${DATE.format(end)} ${TIME.format(end)}`) : '';
  return `${DATE.format(start)}, ${TIME.format(start)}${until}`;
}

function seats(performance: Performance): string {
  const availability = performance.availability;
  if (!availability) return 'Geen gegevens over plaatsen';
  const count =
    availability.remaining !== undefined && availability.capacity !== undefined
      ? ` (nog ${availability.remaining} van ${availability.capacity} plaatsen)`
      : availability.remaining !== undefined
        ? ` (nog ${availability.remaining} plaatsen)`
        : '';
  return `${LEVEL_TEXT[availability.level]}${count}`;
}

/**
 * The activity as a page for people, with its schema.org Event JSON-LD for search engines. Seats are those
 * stored when the page is asked for (the fast lane updates them live; the page is never cached unrevalidated).
 */
export function renderActivityPage(description: PublishedDescription): { html: string; schemaOrg: JsonObject } {
  const schemaOrg = activityToSchemaOrg(description);
  const { activity, place } = description;
  const title = pick(activity.title);
  const address = place?.address;
  const street = address ? [address.street, address.houseNumber, address.box ? `bus ${address.box}` : undefined].filter(Boolean).join(' ') : '';
  const performances = [...activity.performances].sort((left, right) => Date.parse(left.start) - Date.parse(right.start));
  const image = (activity.media ?? [])[0]?.url ?? (activity.images ?? [])[0];
  const row = (performance: Performance) =>
    `<tr><td>${escapeHtml(when(performance))}</td><td>${escapeHtml(STATUS_TEXT[performance.status])}</td><td class="seats seats-${escapeHtml(performance.availability?.level ?? 'unknown')}">${escapeHtml(seats(performance))}</td></tr>`;
  const opening = (activity.openingHours ?? []).map((hours) => `<li>${escapeHtml(hours.daysOfWeek.join(', '))}: ${escapeHtml(hours.opens)}–${escapeHtml(hours.closes)}</li>`).join('');
  const period = activity.period
    ? `<p>Van ${escapeHtml(DATE.format(new Date(activity.period.start)))}${activity.period.end ? ` tot ${escapeHtml(DATE.format(new Date(activity.period.end)))}` : ''}</p>`
    : '';
  const links = [
    ['application/ld+json', `${description.iri}.jsonld`, 'JSON-LD (OSLO)'],
    ['text/turtle', `${description.iri}.ttl`, 'Turtle'],
    ['application/n-triples', `${description.iri}.nt`, 'N-Triples'],
  ];
  const html = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${activity.description ? `<meta name="description" content="${escapeHtml(pick(activity.description).slice(0, 300))}">` : ''}
<link rel="canonical" href="${escapeHtml(description.iri)}">
${links.map(([type, href]) => `<link rel="alternate" type="${type}" href="${escapeHtml(href)}">`).join('\n')}
<script type="application/ld+json">${jsonForScript(schemaOrg)}</script>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1d1f; }
  h1 { margin-bottom: .25rem; } table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #ddd; }
  .seats-OutOfStock { color: #a00; } .seats-LimitedAvailability { color: #a60; } .seats-InStock { color: #060; }
  img { max-width: 100%; height: auto; } footer { margin-top: 2rem; font-size: .9rem; color: #555; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${activity.type?.label ? `<p class="type">${escapeHtml(pick(activity.type.label))}</p>` : ''}
${image ? `<img src="${escapeHtml(image)}" alt="${escapeHtml(title)}">` : ''}
${activity.description ? `<p class="description">${escapeHtml(pick(activity.description))}</p>` : ''}
<section aria-labelledby="when"><h2 id="when">Wanneer</h2>
${period}${opening ? `<ul class="opening-hours">${opening}</ul>` : ''}
${performances.length > 0 ? `<table class="performances"><thead><tr><th>Datum</th><th>Status</th><th>Plaatsen</th></tr></thead><tbody>${performances.map(row).join('')}</tbody></table>` : ''}
</section>
<section aria-labelledby="where"><h2 id="where">Waar</h2>
${place && address && description.placeIri ? `<p class="place"><a href="${escapeHtml(description.placeIri)}">${escapeHtml(pick(place.name))}</a><br>${street ? `${escapeHtml(street)}<br>` : ''}${escapeHtml(address.postalCode)} ${escapeHtml(pick(address.municipality))}</p>` : ''}
${activity.onlineUrl ? `<p>Online: <a href="${escapeHtml(activity.onlineUrl)}">${escapeHtml(activity.onlineUrl)}</a></p>` : ''}
</section>
${
  activity.prices.length > 0
    ? `<section aria-labelledby="prices"><h2 id="prices">Prijzen</h2><ul class="prices">${activity.prices.map((price) => `<li>${escapeHtml(pick(price.name))}: ${escapeHtml(price.currency === 'EUR' ? MONEY.format(price.amount) : `${price.amount} ${price.currency}`)}</li>`).join('')}</ul>
${activity.booking?.url ? `<p><a class="booking" href="${escapeHtml(activity.booking.url)}">${escapeHtml(pick(activity.booking.urlLabel) || 'Tickets')}</a></p>` : ''}</section>`
    : ''
}
${description.organizer ? `<p class="organizer">Organisator: ${description.organizerIri ? `<a href="${escapeHtml(description.organizerIri)}">${escapeHtml(pick(description.organizer.name))}</a>` : escapeHtml(pick(description.organizer.name))}</p>` : ''}
${activity.url ? `<p><a href="${escapeHtml(activity.url)}">Meer informatie</a></p>` : ''}
</main>
<footer>
<p>Open data (OSLO Cultuurparticipatie): ${links.map(([type, href, label]) => `<a rel="alternate" type="${type}" href="${escapeHtml(href)}">${label}</a>`).join(' · ')}.
Laatst gewijzigd ${escapeHtml(DATE.format(description.modifiedAt))} ${escapeHtml(TIME.format(description.modifiedAt))}.</p>
</footer>
</body>
</html>
`;
  return { html, schemaOrg };
}
