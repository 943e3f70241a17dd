import type { Activity, Organizer, Place } from '@platform/domain';
import { activityToQuads, organizerToQuads, placeToQuads, type ActivityRdfContext } from '@platform/linked-data';
import type { ValidationOutcome, ValidationResult } from '@platform/validation';
import type { Quad } from '@rdfjs/types';
import { canonicalJson } from './content-hash.js';

/** What is validated of one batch item: an activity (with its place and organizer), or a place or organizer record. */
export interface BatchMember {
  write?: { activity: Activity };
  place?: Place;
  organizer?: Organizer;
}

/**
 * The graphs of a batch for one validator run: each activity without its place and organizer, and each
 * distinct place and organizer description once (a batch of 200 activities at 50 venues builds 50 place
 * graphs, not 200). `parts[i]` lists the graphs whose results are item i's: its own, its place's, its
 * organizer's. The union the validator sees is the same as with every description inline (descriptions
 * are deterministic; the same quad twice is one quad), so two items describing one place differently
 * still both fail (decision 8).
 */
export function batchGraphs(verdicts: BatchMember[], context: ActivityRdfContext): { graphs: Quad[][]; parts: number[][] } {
  const graphs: Quad[][] = [];
  const shared = new Map<string, number>();
  const once = (key: string, build: () => Quad[]): number => {
    let index = shared.get(key);
    if (index === undefined) {
      index = graphs.push(build()) - 1;
      shared.set(key, index);
    }
    return index;
  };
  // Activities of one batch usually share the very same place object (resolved references): key it once.
  const keys = new WeakMap<object, string>();
  const keyOf = (kind: string, value: Place | Organizer): string => {
    let key = keys.get(value);
    if (key === undefined) {
      key = `${kind} ${canonicalJson(value)}`;
      keys.set(value, key);
    }
    return key;
  };
  const place = (value: Place) => once(keyOf('place', value), () => placeToQuads(value, context));
  const organizer = (value: Organizer) => once(keyOf('organizer', value), () => organizerToQuads(value, context));
  const parts = verdicts.map((verdict): number[] => {
    if (verdict.place) return [place(verdict.place)];
    if (verdict.organizer) return [organizer(verdict.organizer)];
    const activity = verdict.write!.activity;
    const own = graphs.push(activityToQuads(activity, { ...context, linkPlaceAndOrganizerOnly: true })) - 1;
    // An online activity may have no place.
    return [own, ...(activity.place ? [place(activity.place)] : []), ...(activity.organizer ? [organizer(activity.organizer)] : [])];
  });
  return { graphs, parts };
}

/** One item's outcome from the outcomes of its graphs: a result about a node that several of them hold counts once. */
export function outcomeOf(outcomes: ValidationOutcome[]): ValidationOutcome {
  if (outcomes.length === 1) return outcomes[0];
  const earlier = new Set<string>();
  const results: ValidationResult[] = [];
  for (const outcome of outcomes) {
    const keys = outcome.results.map(resultKey);
    outcome.results.forEach((result, index) => {
      if (!earlier.has(keys[index])) results.push(result);
    });
    for (const key of keys) earlier.add(key);
  }
  return { conforms: outcomes.every((outcome) => outcome.conforms), results };
}

const resultKey = (result: ValidationResult): string =>
  JSON.stringify([result.focusNode, result.path, result.constraint, result.sourceShape, result.value, result.severity, result.message.nl, result.message.en]);

