import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error a browser module without types, imported to check its table
import { STRINGS as CONSOLE } from './console/client/i18n.js';
// @ts-expect-error a browser module without types, imported to check its table
import { STRINGS as RESEARCH } from './research/client/i18n.js';

const here = path.dirname(fileURLToPath(import.meta.url));
type Table = Record<'nl' | 'en', Record<string, string>>;

const common = path.join(here, 'common', 'client');

/** Every script a page runs: its client folder, its views and the common modules. */
function scriptsOf(client: string): string[] {
  const scripts = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.js')).map((name) => path.join(folder, name));
  return [...scripts(client), ...scripts(path.join(client, 'views')), ...scripts(common)];
}

describe.each([
  ['console', CONSOLE as Table],
  ['research', RESEARCH as Table],
])('%s page strings', (page, table) => {
  const client = path.join(here, page, 'client');

  it('has every key in both Dutch and English, with the same placeholders', () => {
    expect(Object.keys(table.nl).sort()).toEqual(Object.keys(table.en).sort());
    for (const key of Object.keys(table.nl)) {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect([key, placeholders(table.en[key])]).toEqual([key, placeholders(table.nl[key])]);
    }
  });

  it('has a translation for every literal key the page uses', () => {
    const used = new Set<string>();
    for (const file of scriptsOf(client)) {
      const source = readFileSync(file, 'utf8');
      for (const match of source.matchAll(/\bt\('([a-zA-Z.]+)'/g)) used.add(match[1]);
      for (const match of source.matchAll(/label: '([a-zA-Z.]+)'/g)) used.add(match[1]);
    }
    expect([...used].filter((key) => !(key in table.nl))).toEqual([]);
  });
});
