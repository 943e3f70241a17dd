import { compactIri } from '@platform/linked-data';
import type { EnginePathStep } from 'shacl-engine';
import { formatTerm } from './messages.js';

/** A SHACL path (shacl-engine's parsed steps) in the compact notation of ValidationResult.path. */
export function formatPath(steps: EnginePathStep[] | null | undefined): string | undefined {
  if (!steps || steps.length === 0) return undefined;
  const formatStep = (step: EnginePathStep): string => {
    const names = step.predicates.map((predicate) => (predicate.termType === 'NamedNode' ? compactIri(predicate.value) : formatTerm(predicate)));
    let text = names.length > 1 ? `(${names.join('|')})` : names[0];
    if (step.start === 'object') text = `^${text}`;
    if (step.quantifier === 'oneOrMore') text += '+';
    if (step.quantifier === 'zeroOrMore') text += '*';
    if (step.quantifier === 'zeroOrOne') text += '?';
    return text;
  };
  return steps.map(formatStep).join('/');
}

