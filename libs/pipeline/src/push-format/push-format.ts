import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  availabilityLevelFor,
  type Activity,
  type AvailabilityLevel,
  type AvailabilityThresholds,
} from '@platform/domain';
import { contentHash } from '../content-hash.js';
import type { ItemProblem } from '../problems.js';

const require = createRequire(import.meta.url);
// JSON Schema files are the single definition of the push format: validation here, OpenAPI at /docs.
export const ACTIVITY_SCHEMA = require('./activity.schema.json') as Record<string, unknown>;
export const AVAILABILITY_UPDATE_SCHEMA = require('./availability.schema.json') as Record<string, unknown>;
type Localize = (errors: ErrorObject[] | null | undefined) => void;
const localizeNl = require('ajv-i18n/localize/nl') as Localize;
const localizeEn = require('ajv-i18n/localize/en') as Localize;

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
(addFormats as unknown as (instance: Ajv) => void)(ajv);
const validateActivity: ValidateFunction = ajv.compile(ACTIVITY_SCHEMA);
const validateAvailabilityUpdate: ValidateFunction = ajv.compile(AVAILABILITY_UPDATE_SCHEMA);

function problemsOf(errors: ErrorObject[]): ItemProblem[] {
  const dutch = errors.map((error) => ({ ...error }));
  const english = errors.map((error) => ({ ...error }));
  localizeNl(dutch);
  localizeEn(english);
  return errors.map((error, index) => {
    const path = error.keyword === 'additionalProperties'
      ? `${error.instancePath}/${String(error.params.additionalProperty)}`
      : error.keyword === 'required'
        ? `${error.instancePath}/${String(error.params.missingProperty)}`
        : error.instancePath || '/';
    return {
      focusNode: error.instancePath || '/',
      path,
      severity: 'Violation',
      message: { nl: `${path}: ${dutch[index].message}`, en: `${path}: ${english[index].message}` },
      constraint: `json-schema:${error.keyword}`,
    };
  });
}

export interface PushItemResult {
  externalId: string | null;
  activity?: Activity;
  /** Identity of the item's content, taken before time-dependent defaults are filled in. */
  contentHash?: string;
  problems: ItemProblem[];
}

/**
 * Checks one pushed item against the push format and turns it into the canonical model: defaults filled
 * in, availability levels derived from seat counts. Semantic rules (remaining <= capacity, ...) are
 * left to SHACL so that every input format gets the same checks.
 */
export function readPushItem(item: unknown, thresholds: AvailabilityThresholds, now: Date, { owned = false }: { owned?: boolean } = {}): PushItemResult {
  const externalId =
    item && typeof item === 'object' && typeof (item as { externalId?: unknown }).externalId === 'string'
      ? (item as { externalId: string }).externalId
      : null;
  // Defaults are filled in place by Ajv: work on a copy so the caller's object stays as received, unless
  // the caller parsed it for this call alone (`owned`: the payload reader; the clone was ~4 % of a worker's CPU).
  const copy = owned ? item : structuredClone(item);
  if (!validateActivity(copy)) return { externalId, problems: problemsOf(validateActivity.errors ?? []) };
  const activity = copy as Activity;
  const hash = contentHash(activity);
  for (const performance of activity.performances) {
    const availability = performance.availability as
      | { capacity?: number; remaining?: number; level?: AvailabilityLevel; changedAt?: string }
      | undefined;
    if (!availability) continue;
    performance.availability = {
      ...availability,
      level: availability.level ?? levelFor(availability.capacity, availability.remaining!, thresholds),
      changedAt: availability.changedAt ?? now.toISOString(),
    };
  }
  return { externalId, activity, contentHash: hash, problems: [] };
}

function levelFor(capacity: number | undefined, remaining: number, thresholds: AvailabilityThresholds): AvailabilityLevel {
  // Without a capacity only the absolute threshold applies.
  return availabilityLevelFor(capacity ?? Number.MAX_SAFE_INTEGER, remaining, thresholds);
}

export interface AvailabilityUpdateInput {
  performanceId?: string;
  capacity?: number;
  remaining?: number;
  level?: AvailabilityLevel;
}

export function readAvailabilityUpdate(input: unknown): { update?: AvailabilityUpdateInput; problems: ItemProblem[] } {
  if (!validateAvailabilityUpdate(input)) return { problems: problemsOf(validateAvailabilityUpdate.errors ?? []) };
  return { update: input as AvailabilityUpdateInput, problems: [] };
}
