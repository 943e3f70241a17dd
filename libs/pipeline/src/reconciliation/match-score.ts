import { distance } from 'fastest-levenshtein';
import type { GeoPoint, LangString } from '@platform/domain';

/** Lower case, no accents, words separated by single spaces: "Dez Mona – Hilda (try-out)" -> "dez mona hilda try out". */
export function normalizeText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * How alike two names are, 0..1: the better of the edit-distance ratio and the share of the shorter
 * name's words found in the longer one (ticketing titles often add a tour name or "try-out").
 */
export function textSimilarity(left: string, right: string): number {
  const a = normalizeText(left);
  const b = normalizeText(right);
  if (!a || !b) return 0;
  if (a === b) return 1;
  const ratio = 1 - distance(a, b) / Math.max(a.length, b.length);
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const words = shorter.split(' ');
  const longerWords = new Set(longer.split(' '));
  const contained = words.filter((word) => longerWords.has(word)).length / words.length;
  // Containment of a one-word name says little ("concert"): weigh it by how much of the longer name it covers.
  const coverage = shorter.length / longer.length;
  return Math.max(ratio, contained * Math.min(1, 0.5 + coverage));
}

/** The best similarity between any language of one text and any language of the other. */
export function langSimilarity(left: LangString | undefined, right: LangString | undefined): number {
  let best = 0;
  for (const a of Object.values(left ?? {})) for (const b of Object.values(right ?? {})) if (a && b) best = Math.max(best, textSimilarity(a, b));
  return best;
}

/** Metres between two points (haversine). */
export function metresBetween(a: GeoPoint, b: GeoPoint): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = radians(b.latitude - a.latitude);
  const dLon = radians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

export interface MatchInput {
  title: LangString;
  place: { name: LangString; geo?: GeoPoint; address?: { street?: string; houseNumber?: string } };
}

export interface MatchScore {
  score: number;
  title: number;
  place: number;
  startDeltaMinutes: number;
}

/**
 * Title 60%, place 30% (name, or within 250 m, or the same street and number), start time 10%; a title
 * less than half alike caps the score at the title's similarity.
 * Both are already known to be in the same postal code with performances within the window.
 */
export function matchScore(left: MatchInput, right: MatchInput, startDeltaMinutes: number, windowMinutes: number): MatchScore {
  const title = langSimilarity(left.title, right.title);
  const near = left.place.geo && right.place.geo ? metresBetween(left.place.geo, right.place.geo) <= 250 : false;
  const sameAddress =
    Boolean(left.place.address?.street && right.place.address?.street) &&
    normalizeText(`${left.place.address!.street} ${left.place.address!.houseNumber ?? ''}`) === normalizeText(`${right.place.address!.street} ${right.place.address!.houseNumber ?? ''}`);
  const place = near || sameAddress ? 1 : langSimilarity(left.place.name, right.place.name);
  const time = windowMinutes === 0 ? 1 : Math.max(0, 1 - startDeltaMinutes / windowMinutes);
  // A venue with several halls has other shows at the same time: without a similar title, place and time say nothing.
  const weighted = 0.6 * title + 0.3 * place + 0.1 * time;
  const score = Math.round((title < 0.5 ? Math.min(weighted, title) : weighted) * 1000) / 1000;
  return { score, title: Math.round(title * 1000) / 1000, place: Math.round(place * 1000) / 1000, startDeltaMinutes };
}
