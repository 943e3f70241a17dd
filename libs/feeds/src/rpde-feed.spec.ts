import { describe, expect, it } from '@jest/globals';
import { rpdePageJson } from './rpde-feed.js';

describe('rpdePageJson', () => {
  it('writes an RPDE page with the rendered documents spliced in as they are', () => {
    const data = JSON.stringify({ '@context': 'http://x/ns/context.jsonld', '@id': 'http://x/id/activiteit/a', title: 'Een "titel"' });
    const json = rpdePageJson({
      items: [
        { state: 'updated', kind: 'Activiteit', id: 'a', modified: 7, data },
        { state: 'deleted', kind: 'Activiteit', id: 'b', modified: 9 },
      ],
      next: 'http://x/feeds/activities?afterChangeNumber=9',
      license: 'https://example.org/licence',
      isLastPage: false,
    });
    expect(JSON.parse(json)).toEqual({
      next: 'http://x/feeds/activities?afterChangeNumber=9',
      items: [
        { state: 'updated', kind: 'Activiteit', id: 'a', modified: 7, data: JSON.parse(data) },
        { state: 'deleted', kind: 'Activiteit', id: 'b', modified: 9 },
      ],
      license: 'https://example.org/licence',
    });
    // The document keeps its own key order (@context first), as it was rendered.
    expect(json).toContain(`"data":${data}`);
  });

  it('writes the last page with no items', () => {
    expect(JSON.parse(rpdePageJson({ items: [], next: 'http://x/feeds/places', license: 'https://l', isLastPage: true }))).toEqual({ next: 'http://x/feeds/places', items: [], license: 'https://l' });
  });
});
