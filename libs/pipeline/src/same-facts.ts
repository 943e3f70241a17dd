import { canonicalJson, type Activity, type Availability, type Performance } from '@platform/domain';

function byStartThenId(left: Performance, right: Performance): number {
  return Date.parse(left.start) - Date.parse(right.start) || left.externalId.localeCompare(right.externalId);
}

function seats(availability: Availability | undefined): string {
  if (!availability) return '-';
  // Instants, not lexical forms: the database gives back "…Z" for what a vendor wrote "…+01:00".
  return `${availability.capacity ?? ''}/${availability.remaining ?? ''}/${availability.level}/${Date.parse(availability.changedAt)}`;
}

function facts(activity: Activity): string {
  // RDF has no order of performances: compare them by start time.
  const performances = [...activity.performances].sort(byStartThenId);
  return canonicalJson({
    ...activity,
    performances: performances.map(({ availability: _seats, ...rest }) => rest),
    seats: performances.map((performance) => seats(performance.availability)),
  });
}

/**
 * Whether an incoming activity says exactly what is stored (as it is served, live seats included). A
 * document the platform published, pushed back in another format, hashes differently from the JSON it was
 * first pushed as (defaults filled in, performances in start order), yet changes nothing.
 */
export function sameFacts(incoming: Activity, stored: Activity): boolean {
  return facts(incoming) === facts(stored);
}
