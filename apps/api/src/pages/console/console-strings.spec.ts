import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
// @ts-expect-error a browser module without types, imported to check its table
import { STRINGS } from './client/i18n.js';

const client = path.join(path.dirname(fileURLToPath(import.meta.url)), 'client');
const table = STRINGS as Record<'nl' | 'en', Record<string, string>>;

describe('console strings', () => {
  it('has every key in both Dutch and English, with the same placeholders', () => {
    expect(Object.keys(table.nl).sort()).toEqual(Object.keys(table.en).sort());
    for (const key of Object.keys(table.nl)) {
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect([key, placeholders(table.en[key])]).toEqual([key, placeholders(table.nl[key])]);
    }
  });

  it('has a translation for every literal key the views use', () => {
    const files = ['app.js', 'lib.js', ...readdirSync(path.join(client, 'views')).map((name) => `views/${name}`)];
    const used = new Set<string>();
    for (const file of files) {
      const source = readFileSync(path.join(client, file), 'utf8');
      for (const match of source.matchAll(/\bt\('([a-zA-Z.]+)'/g)) used.add(match[1]);
      for (const match of source.matchAll(/label: '([a-zA-Z.]+)'/g)) used.add(match[1]);
    }
    expect([...used].filter((key) => !(key in table.nl))).toEqual([]);
  });
});
