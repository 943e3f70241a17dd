import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { entityId } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';
import { subscribe } from './subscriptions.js';

interface ServerSentEvent {
  id: string;
  data: any;
}

/** Reads a text/event-stream response the way EventSource does (id + data lines, blank line ends an event). */
async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: ServerSentEvent[] = [];
  let comments = 0;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        pending += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = pending.indexOf('\n\n')) >= 0) {
          const block = pending.slice(0, end);
          pending = pending.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((line) => !line.startsWith(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]));
          if (block.startsWith(':')) comments += 1;
          if (fields.data !== undefined) events.push({ id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    response,
    events,
    comments: () => comments,
    async waitFor(count: number, timeoutMs = 8000): Promise<ServerSentEvent[]> {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} event(s), got ${events.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return events;
    },
    async close() {
      controller.abort();
      await reading;
    },
  };
}

describe('Server-Sent Events (e2e: change numbers as event ids, resume with Last-Event-ID)', () => {
  let platform: TestApp;
  let key: string;
  const show = anActivity({ externalId: 'sse-show', performances: [aPerformance('sse-p1'), aPerformance('sse-p2')] });
  const showId = entityId('activiteit', 'sse-house', show.externalId);
  const seats = (performanceId: string, remaining: number) =>
    http(platform.baseUrl, 'PUT', `/v1/sources/sse-house/performances/${performanceId}/availability`, { token: key, body: { capacity: 500, remaining } });

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { CHANGE_POLL_INTERVAL_MS: '50' } });
    key = await platform.createSource('sse-house');
    expect((await http(platform.baseUrl, 'POST', '/v1/sources/sse-house/activities?wait=true', { token: key, body: [show] })).body.summary.accepted).toBe(1);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('streams availability changes live, then resumes after a disconnect with exactly the missed ones, then live again', async () => {
    const first = await openStream(`${platform.baseUrl}/v1/events/availability`);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await seats('sse-p1', 100);
    await seats('sse-p2', 90);
    const live = await first.waitFor(2);
    await first.close();
    expect(live.map((event) => event.data.availability.remaining)).toEqual([100, 90]);
    expect(live.every((event) => event.id === event.data.changeNumber && event.data.operation === 'availability' && event.data.id === showId)).toBe(true);
    expect(live[0].data.feed).toBe(`http://data.test.local/feeds/activities?afterChangeNumber=${live[0].id}`);

    // While disconnected: three seat changes and an activity change (not an availability event).
    await seats('sse-p1', 80);
    await http(platform.baseUrl, 'POST', '/v1/sources/sse-house/activities?wait=true', { token: key, body: [{ ...show, title: { nl: 'Nieuwe titel' } }] });
    await seats('sse-p2', 70);
    await seats('sse-p1', 60);

    const resumed = await openStream(`${platform.baseUrl}/v1/events/availability`, { 'last-event-id': live[1].id });
    await resumed.waitFor(3);
    await seats('sse-p2', 50);
    const all = await resumed.waitFor(4);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await resumed.close();
    expect(all.map((event) => event.data.availability.remaining)).toEqual([80, 70, 60, 50]);
    const numbers = all.map((event) => BigInt(event.id));
    expect(numbers.every((number, index) => index === 0 || number > numbers[index - 1])).toBe(true);
    expect(numbers[0]).toBeGreaterThan(BigInt(live[1].id));

    // The change stream has every kind; afterChangeNumber works like Last-Event-ID (for clients without EventSource).
    const changes = await openStream(`${platform.baseUrl}/v1/events/changes?afterChangeNumber=${live[1].id}&entityTypes=activity`);
    const everything = await changes.waitFor(5);
    await changes.close();
    expect(everything.map((event) => event.data.operation)).toEqual(['availability', 'upsert', 'availability', 'availability', 'availability']);
  });

  it('carries the same change number as the GraphQL subscription for the same change', async () => {
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    try {
      const subscription = subscribe(client, `subscription { availabilityChanged { performanceExternalId remaining seq } }`, {});
      await subscription.ready;
      const stream = await openStream(`${platform.baseUrl}/v1/events/availability`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await seats('sse-p1', 33);
      const pushed = await subscription.next();
      const [event] = await stream.waitFor(1);
      await stream.close();
      subscription.dispose();
      expect(pushed.availabilityChanged).toMatchObject({ performanceExternalId: 'sse-p1', remaining: 33 });
      expect(pushed.availabilityChanged.seq).toBe(event.id);
    } finally {
      await client.dispose();
    }
  });

  it('answers a bad Last-Event-ID or filter with 400 naming it', async () => {
    const badId = await http(platform.baseUrl, 'GET', '/v1/events/changes', { headers: { 'last-event-id': 'yesterday' } });
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ code: 'invalid-argument', where: 'header Last-Event-ID' });
    const badFilter = await http(platform.baseUrl, 'GET', '/v1/events/changes?placeIds=nope');
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error.where).toBe('query placeIds');
  });
});
