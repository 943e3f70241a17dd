import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidationOutcome, ValidationResult } from '@platform/validation';

/** DCAT-AP 3.0.1 as SEMICeu publishes it (../shared/reference/peers/dcat-ap): the shapes, the range shapes, the recommended ones (warnings). */
const DIRECTORY = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/reference/peers/dcat-ap');
export const DCAT_SHAPE_FILES = ['dcat-ap-SHACL.ttl', 'ranges.ttl', 'shapes_recommended.ttl'].map((name) => join(DIRECTORY, name));

/** The results of severity Violation (warnings of the recommended shapes are allowed). */
export function dcatViolations(outcome: ValidationOutcome): ValidationResult[] {
  return outcome.results.filter((result) => result.severity === 'Violation');
}
