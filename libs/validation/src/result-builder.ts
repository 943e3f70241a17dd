import { compactIri, PREFIXES } from '@platform/linked-data';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, type Store } from 'n3';
import { generateMessage } from './messages.js';
import type { BilingualMessage } from './messages.js';

export type Severity = 'Violation' | 'Warning' | 'Info';

export interface ValidationResult {
  /** IRI, or `_:label` for a blank node. */
  focusNode: string;
  /** SHACL path in compact form (`dcterms:title`, `^ex:p`, `ex:a/ex:b`, `(ex:a|ex:b)`, `ex:p*`). */
  path?: string;
  severity: Severity;
  message: BilingualMessage;
  sourceShape?: string;
  /** Full IRI of the constraint component, e.g. http://www.w3.org/ns/shacl#MinCountConstraintComponent. */
  constraint: string;
  /** The offending value: IRI, `_:label`, or a literal's lexical form. */
  value?: string;
}

export interface ValidationOutcome {
  conforms: boolean;
  results: ValidationResult[];
}

const SH = PREFIXES.sh;

/** What one engine (shacl-engine or the compiled validators) knows about a result, before it is worded. */
export interface RawResult {
  focus: Term;
  shapeTerm: Term | undefined;
  /** Full IRI of the constraint component. */
  component: string;
  path: string | undefined;
  valueTerm: Term | undefined;
  /** Values found at a one-predicate path (for the cardinality messages). */
  found: number | undefined;
  severity: Term;
  /** The shape's own sh:message values. */
  messages: Term[];
}

export function termKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/**
 * Turns raw results into our ValidationResult: the shape's sh:message per language, else a generated
 * bilingual message with the shape's parameters. One builder for both engines, so a result reads the
 * same whichever engine found it.
 */
export class ResultBuilder {
  constructor(private readonly shapes: Store) {}

  shapeParameter(shape: Term, name: string): Term[] {
    const objects = this.shapes.getObjects(shape as Quad['subject'], DataFactory.namedNode(SH + name), null);
    if (name === 'in' || name === 'languageIn') return objects.flatMap((head) => this.list(head));
    return objects;
  }

  list(head: Term): Term[] {
    const items: Term[] = [];
    let node: Term = head;
    const first = DataFactory.namedNode(`${PREFIXES.rdf}first`);
    const rest = DataFactory.namedNode(`${PREFIXES.rdf}rest`);
    for (let guard = 0; guard < 1000 && node.value !== `${PREFIXES.rdf}nil`; guard += 1) {
      const value = this.shapes.getObjects(node as Quad['subject'], first, null)[0];
      if (value) items.push(value);
      const next = this.shapes.getObjects(node as Quad['subject'], rest, null)[0];
      if (!next) break;
      node = next;
    }
    return items;
  }

  build(input: RawResult): ValidationResult {
    const { focus, shapeTerm, component, path, valueTerm, found } = input;
    const componentName = component.startsWith(SH) ? component.slice(SH.length) : compactIri(component);
    const generated = generateMessage({
      component: componentName,
      path,
      value: valueTerm,
      parameter: (name) => (shapeTerm ? this.shapeParameter(shapeTerm, name) : []),
      found,
    });
    // sh:message of the shape wins, per language; an untagged sh:message counts as English
    const own = { nl: undefined as string | undefined, en: undefined as string | undefined };
    for (const message of input.messages) {
      const language = message.termType === 'Literal' ? message.language : '';
      if (language === 'nl') own.nl ??= message.value;
      else if (language === 'en' || language === '') own.en ??= message.value;
    }
    const severityName = input.severity.value.startsWith(SH) ? input.severity.value.slice(SH.length) : 'Violation';
    const output: ValidationResult = {
      focusNode: termKey(focus),
      severity: (severityName === 'Warning' || severityName === 'Info' ? severityName : 'Violation') as Severity,
      message: { nl: own.nl ?? generated.nl, en: own.en ?? generated.en },
      constraint: component,
    };
    if (path !== undefined) output.path = path;
    if (shapeTerm) output.sourceShape = termKey(shapeTerm);
    if (valueTerm) output.value = valueTerm.termType === 'Literal' ? valueTerm.value : termKey(valueTerm);
    return output;
  }
}
