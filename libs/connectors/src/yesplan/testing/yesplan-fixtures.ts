import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FixtureHandler, FixtureReply } from '../../../../../test/support/fixture-server.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** The host the recorded payloads name; served with the fixture server's own address instead. */
export const RECORDED_INSTALLATION = 'https://demo.yesplan.be';

export const EVENT_IDS = {
  othello: '2410-1764500001',
  othelloCancelled: '2410-1764500002',
  buildUp: '2410-1764500003',
  talk: '2410-1764500004',
  workshopInStudio: '2410-1764500005',
  family: '2410-1764500006',
} as const;

export const LOCATION_IDS = { theatre: '300-1700000001', foyer: '300-1700000002', studio: '300-1700000003' } as const;

/** The state of the remote planning: pass 1 as first recorded, pass 2 after the planner's edits. */
export interface YesplanFixtureState {
  pass: 1 | 2;
  apiKey: string;
}

/** A recorded payload as bytes, pointing at the given installation instead of the recorded one. */
export function recorded(path: string, installation = RECORDED_INSTALLATION): Buffer {
  return Buffer.from(readFileSync(join(FIXTURES, path), 'utf8').split(RECORDED_INSTALLATION).join(installation), 'utf8');
}

function recordedFor(state: YesplanFixtureState, name: string, installation: string): Buffer | undefined {
  for (const folder of state.pass === 2 ? ['pass-2', 'pass-1'] : ['pass-1']) {
    if (existsSync(join(FIXTURES, folder, name))) return recorded(join(folder, name), installation);
  }
  return undefined;
}

const json = (body: Buffer, status = 200): FixtureReply => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body });
const notFound = (what: string): FixtureReply => ({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: `${what} not found` }) });

/**
 * Answers as a Yesplan installation does: `api_key` required on every request, events paged through
 * `pagination.next` (`book` + `page`), single events (404 once deleted), locations, custom data.
 */
export function yesplanFixtureHandler(state: YesplanFixtureState, installation: () => string): FixtureHandler {
  return (_request, url) => {
    if (url.searchParams.get('api_key') !== state.apiKey) return { status: 401, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'invalid api key' }) };
    const path = url.pathname;
    const folder = `pass-${state.pass}`;
    if (path.startsWith('/api/events/')) {
      const page = url.searchParams.get('book') ? 2 : 1;
      return json(recorded(`${folder}/events-page-${page}.json`, installation()));
    }
    let match = /^\/api\/event\/([^/]+)\/customdata$/.exec(path);
    if (match) {
      const body = recordedFor(state, `customdata-${decodeURIComponent(match[1])}.json`, installation());
      return json(body ?? Buffer.from('{"groups":[]}'));
    }
    match = /^\/api\/event\/([^/]+)$/.exec(path);
    if (match) {
      const body = recordedFor(state, `event-${decodeURIComponent(match[1])}.json`, installation());
      return body ? json(body) : notFound(`event ${match[1]}`);
    }
    match = /^\/api\/location\/([^/]+)$/.exec(path);
    if (match) {
      const name = `location/${decodeURIComponent(match[1])}.json`;
      return existsSync(join(FIXTURES, name)) ? json(recorded(name, installation())) : notFound(`location ${match[1]}`);
    }
    return notFound(path);
  };
}
