/**
 * One thing wrong with an item, as a vendor reads it back: where, what, why, in Dutch and English.
 * SHACL results and structural (JSON Schema / parse) errors share this shape.
 */
export interface ItemProblem {
  /** JSON pointer into the pushed item (structural errors) or the SHACL focus node IRI. */
  focusNode?: string;
  /** JSON pointer (structural) or the SHACL property path. */
  path?: string;
  severity: 'Violation' | 'Warning' | 'Info';
  message: { nl: string; en: string };
  /** What rule failed: a SHACL constraint component IRI or `json-schema:<keyword>`. */
  constraint: string;
  sourceShape?: string;
  value?: string;
}
