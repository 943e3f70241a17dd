import { describe, expect, it } from '@jest/globals';
import type { HttpClient } from '../http-client.js';
import { fetchSearchPage, memberId, memberModified, parseSearchResponse, searchHeaders, searchUrl, takeSearchResponse } from './search-api.js';

describe('Search API v3 requests', () => {
  it('asks events for full documents in modified order from the high-water mark, past the default filters', () => {
    const url = new URL(searchUrl('https://search-test.uitdatabank.be/', { entity: 'events', start: 200, limit: 100, modifiedFrom: '2024-04-01T10:00:00+02:00' }));
    expect(url.origin + url.pathname).toBe('https://search-test.uitdatabank.be/events');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      embed: 'true',
      'sort[modified]': 'asc',
      start: '200',
      limit: '100',
      workflowStatus: 'READY_FOR_VALIDATION,APPROVED,REJECTED,DELETED',
      disableDefaultFilters: 'true',
      modifiedFrom: '2024-04-01T10:00:00+02:00',
    });
    // `+` of the offset must arrive as %2B, or the API reads a space.
    expect(url.search).toContain('modifiedFrom=2024-04-01T10%3A00%3A00%2B02%3A00');
  });

  it('filters organizers with the advanced query `modified` (the spec has no modifiedFrom there), ANDed with the extra q', () => {
    const url = new URL(searchUrl('https://proxy.example/udb/search', { entity: 'organizers', start: 0, limit: 50, modifiedFrom: '2024-02-12T10:00:00+00:00', q: ' labels:uitpas ' }));
    expect(url.pathname).toBe('/udb/search/organizers');
    expect(url.searchParams.get('q')).toBe('(labels:uitpas) AND modified:[2024-02-12T10\\:00\\:00+00\\:00 TO *]');
    expect(url.searchParams.get('workflowStatus')).toBe('ACTIVE,DELETED');
    expect(url.searchParams.has('modifiedFrom')).toBe(false);
    expect(url.searchParams.has('disableDefaultFilters')).toBe(false);
  });

  it('leaves modifiedFrom and q out of a first request without them', () => {
    const url = new URL(searchUrl('https://search.uitdatabank.be', { entity: 'places', start: 0, limit: 10, modifiedFrom: null }));
    expect(url.searchParams.has('modifiedFrom')).toBe(false);
    expect(url.searchParams.has('q')).toBe(false);
  });

  it('identifies with x-client-id, else the deprecated x-api-key, and puts neither in the URL', () => {
    expect(searchHeaders({ clientId: 'client-1', apiKey: 'key-1' })).toEqual({ 'x-client-id': 'client-1' });
    expect(searchHeaders({ apiKey: 'key-1' })).toEqual({ 'x-api-key': 'key-1' });
    expect(searchHeaders({})).toEqual({});
    expect(searchUrl('https://search.uitdatabank.be', { entity: 'events', start: 0, limit: 1, modifiedFrom: null })).not.toMatch(/clientId|apiKey/);
  });
});

describe('Search API v3 responses', () => {
  it('reads a hydra PagedCollection and refuses what is not one', () => {
    const page = parseSearchResponse(Buffer.from(JSON.stringify({ '@type': 'PagedCollection', itemsPerPage: 30, totalItems: 1, member: [{ '@id': 'x' }] })));
    expect(page).toMatchObject({ itemsPerPage: 30, totalItems: 1, member: [{ '@id': 'x' }] });
    expect(parseSearchResponse(Buffer.from('<html>'))).toMatch(/not JSON/);
    expect(parseSearchResponse(Buffer.from('{"totalItems":3}'))).toMatch(/no member array/);
    expect(parseSearchResponse(Buffer.from('{"member":[]}'))).toMatch(/no totalItems/);
  });

  it('takes the id from the end of @id', () => {
    expect(memberId({ '@id': 'https://io.uitdatabank.be/events/75573a64-ddc8-4fd0-8b07-d258939dd74f' })).toBe('75573a64-ddc8-4fd0-8b07-d258939dd74f');
    expect(memberId({ '@id': 'https://io.uitdatabank.be/organizers/5cf42d51-3a4f-46f0-a8af-1cf672be8c84/' })).toBe('5cf42d51-3a4f-46f0-a8af-1cf672be8c84');
    expect(memberId({ id: 'no-at-id' })).toBeNull();
    expect(memberId('text')).toBeNull();
  });

  it('compares modified as instants, falls back to created, and rewrites odd forms to the API form rounded down', () => {
    expect(memberModified({ modified: '2024-04-01T10:00:00+02:00' })).toEqual({ value: '2024-04-01T10:00:00+02:00', time: Date.parse('2024-04-01T08:00:00Z') });
    expect(memberModified({ created: '2024-04-01T08:00:00Z' })?.time).toBe(memberModified({ modified: '2024-04-01T10:00:00+02:00' })?.time);
    expect(memberModified({ modified: 'yesterday', created: '2024-01-01T00:00:00+00:00' })?.value).toBe('2024-01-01T00:00:00+00:00');
    expect(memberModified({ modified: '2024-04-01 10:00:00.750Z' })).toEqual({ value: '2024-04-01T10:00:00+00:00', time: Date.parse('2024-04-01T10:00:00Z') });
    expect(memberModified({})).toBeNull();
  });
});

describe('a search page read once for its cursor and once for its records', () => {
  it('hands the page parsed at fetch to the mapping once; other bytes (the archive) are parsed again', async () => {
    const body = Buffer.from(JSON.stringify({ totalItems: 1, member: [{ '@id': 'https://io.uitdatabank.be/events/e-1', modified: '2026-01-01T10:00:00+00:00' }] }));
    const http = { request: async (url: string) => ({ url, status: 200, contentType: 'application/json', body }), redact: (text: string) => text } as unknown as HttpClient;
    const { page } = await fetchSearchPage(http, 'https://search.example', {}, { entity: 'events', start: 0, limit: 10, modifiedFrom: null });
    expect(takeSearchResponse(body)).toBe(page);
    const again = takeSearchResponse(body);
    expect(again).not.toBe(page);
    expect(again).toEqual(page);
    expect(takeSearchResponse(Buffer.from(body))).toEqual(page);
    expect(takeSearchResponse(Buffer.from('not json'))).toMatch(/^not JSON/);
  });
});
