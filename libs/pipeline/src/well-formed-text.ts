import type { ItemProblem } from '@platform/domain';
import type { IngestItem } from './ingest-item.js';

/**
 * JSON pointer of the first string in `value` (object keys included) that is not well-formed Unicode (a
 * lone surrogate, which JSON's `\uD800` escapes can carry), or null. Iterative: nesting cannot overflow it.
 */
export function illFormedTextAt(value: unknown): string | null {
  // Every item of every batch passes here: look first without building paths (almost always nothing is found).
  if (!hasIllFormedText(value)) return null;
  const stack: Array<[unknown, string]> = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return path || '/';
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    const entries = Array.isArray(current) ? current.map((member, index) => [String(index), member] as const) : Object.entries(current);
    for (let index = entries.length - 1; index >= 0; index--) {
      const [key, member] = entries[index];
      const memberPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!key.isWellFormed()) return memberPath;
      stack.push([member, memberPath]);
    }
  }
  return null;
}

function hasIllFormedText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (!current.isWellFormed()) return true;
    } else if (Array.isArray(current)) {
      for (const member of current) stack.push(member);
    } else if (current !== null && typeof current === 'object') {
      for (const key in current) {
        if (!key.isWellFormed()) return true;
        stack.push((current as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

/**
 * Every item with text that is not Unicode (ids, references, content) is refused with a problem naming
 * where, before anything derives ids from it or stores it: name-based UUIDs refuse such names and
 * Postgres refuses such text, which failed a whole batch (or `/v1/validate` with a 500). Whatever the
 * item came from: the platform's format, OSLO RDF, a UiTdatabank document, a connector's record.
 */
export function refuseIllFormedText(items: IngestItem[]): IngestItem[] {
  return items.map((item) => {
    // Paths into the item as pushed (its content), else into what the reader derived (ids, references).
    const { problems: _problems, ...derived } = item;
    const content = item.kind === 'activity' ? item.activity : item.kind === 'place' ? item.place : item.kind === 'organizer' ? item.organizer : undefined;
    const path = illFormedTextAt(content) ?? illFormedTextAt({ ...derived, activity: undefined, place: undefined, organizer: undefined });
    if (path === null) return item;
    const externalId = item.externalId === null ? null : item.externalId.toWellFormed();
    const problems = [...item.problems, illFormedTextProblem(path)];
    switch (item.kind) {
      case 'activity':
        return { kind: 'activity', externalId, problems };
      case 'place':
        return { kind: 'place', externalId: externalId!, problems };
      case 'organizer':
        return { kind: 'organizer', externalId: externalId!, problems };
      case 'deletion':
        return { ...item, externalId: externalId!, problems };
    }
  });
}

function illFormedTextProblem(path: string): ItemProblem {
  return {
    focusNode: '/',
    path,
    severity: 'Violation',
    message: {
      nl: `${path}: deze tekst is geen geldige Unicode (een losse helft van een surrogaatpaar, U+D800-U+DFFF); stuur UTF-8 of volledige paren.`,
      en: `${path}: this text is not valid Unicode (a lone surrogate, U+D800-U+DFFF); send UTF-8 or complete pairs.`,
    },
    constraint: 'unicode:well-formed',
  };
}
