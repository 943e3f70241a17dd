import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { BELGIUM_DATA_DIR } from '@platform/research';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { launchBrowser, recordForeignRequests } from '../../../test/support/browser.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const SCREENSHOTS = process.env.RESEARCH_SCREENSHOTS;
const K = 10;
// A real browser on a shared 2-core machine: generous limits, the waits themselves are event-driven.
jest.setTimeout(120_000);

/** Home postcodes with deliberately uneven counts: some municipalities pass k, some must stay hidden. */
const HOMES: Array<[string, number]> = [
  ['9000', 90],
  ['9050', 40],
  ['9300', 45],
  ['9200', 28],
  ['1000', 30],
  ['2000', 16],
  ['9800', 12],
  ['3000', 4],
  ['8500', 2],
  ['8000', 1],
];
const ORGANISATIONS = 6;
const MONTHS = ['2026-09-12T20:00:00+02:00', '2026-10-10T20:00:00+02:00', '2026-11-14T20:00:00+01:00', '2027-01-16T20:00:00+01:00'];

interface Cell {
  coordinates: string[];
  labels: string[];
  obsStatus: 'A' | 'C';
  revenueStatus: 'A' | 'C';
  participants: number | null;
  tickets: number | null;
  penetration: number | null;
  index: number | null;
}

const DIGIT = /\d/;

/** The research page in a real headless Chromium over the whole platform, with protected statistics. */
/**
 * Polls from the test, not in the page: Playwright's waitForFunction evaluates a string in the page,
 * which the page's CSP (no unsafe-eval) refuses whenever the condition is not already true.
 */
async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the page did not get there in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('research page at /research (e2e, headless Chromium)', () => {
  let platform: TestApp;
  let researcherKey: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];

  const api = async <T = { cells: Cell[] }>(path: string): Promise<T> => {
    const response = await http<T>(platform.baseUrl, 'GET', path, { token: researcherKey });
    expect(response.status).toBe(200);
    return response.body;
  };

  /** No serious or critical WCAG 2.1 AA violation on what the page shows now. */
  async function expectAccessible(name: string): Promise<void> {
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    const report = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = report.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${name}: ${violation.id} ${violation.nodes.map((node: { target: unknown[] }) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  async function signIn(): Promise<void> {
    await page.goto(`${platform.baseUrl}/research/`);
    await page.getByLabel(/Onderzoekerssleutel|Researcher key/).fill(researcherKey);
    await page.getByRole('button', { name: /^(Aanmelden|Sign in)$/ }).click();
    await page.getByRole('heading', { name: 'Waar de deelnemers wonen' }).waitFor();
  }

  /** The map once its regions and the statistics behind them have arrived. */
  async function mapReady(): Promise<void> {
    await page.locator('svg.map path[data-status="A"]').first().waitFor();
  }

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-research-page', DISCLOSURE_K: String(K) } });
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'houses', name: 'Culture houses', kind: 'push' } });
    const vendorKey = created.body.key;
    // Six organisations in Gent (one province): enough peers for a comparison.
    const activities = Array.from({ length: ORGANISATIONS }, (_, organisation) =>
      anActivity({
        externalId: `page-act-${organisation}`,
        title: { nl: `Voorstelling ${organisation + 1}` },
        organizer: { externalId: `page-org-${organisation}`, name: { nl: `Huis ${organisation + 1}` } },
        ...(organisation % 2 === 1 ? { type: { iri: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/theatervoorstelling', label: { nl: 'Theatervoorstelling' } } } : {}),
        performances: MONTHS.map((start, month) => aPerformance(`page-act-${organisation}-p${month}`, { start, end: start.replace('T20:00', 'T22:00') })),
      }),
    );
    const pushedActivities = await http(platform.baseUrl, 'POST', '/v1/sources/houses/activities?wait=true', { token: vendorKey, body: activities });
    expect(pushedActivities.body.summary.accepted).toBe(ORGANISATIONS);
    const tickets = HOMES.flatMap(([postcode, count], group) =>
      Array.from({ length: count }, (_, index) => ({
        id: `R-${group}-${index}`,
        performance: `page-act-${index % ORGANISATIONS}-p${(index + group) % MONTHS.length}`,
        soldAt: '2026-08-20T12:00:00Z',
        price: 8 + (index % 4) * 6,
        priceCategory: index % 7 === 0 ? 'kansentarief' : index % 11 === 0 ? 'uitpas' : 'basis',
        channel: index % 3 === 0 ? 'box-office' : index % 13 === 0 ? 'phone' : 'online',
        participant: { id: `P-${group}-${index}`, birthYear: 1950 + ((index * 7 + group) % 60), postcode },
      })),
    );
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/houses/participation?wait=true', { token: vendorKey, body: tickets });
    expect(pushed.body.summary.accepted).toBe(tickets.length);
    const issued = await http(platform.baseUrl, 'POST', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN, body: { name: 'UGent' } });
    researcherKey = issued.body.key;
    browser = await launchBrowser();
  }, 90_000);

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'nl-BE', acceptDownloads: true });
    page = await context.newPage();
    foreign = await recordForeignRequests(page, platform.baseUrl);
  });

  afterEach(async () => {
    expect(foreign).toEqual([]);
    await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('serves its page, its own files and the named npm folders only, from this origin', async () => {
    const redirect = await fetch(`${platform.baseUrl}/research`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/research/']);
    const index = await http(platform.baseUrl, 'GET', '/research/');
    expect(index.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    const nested = await http(platform.baseUrl, 'GET', '/research/vendor/d3-geo/projection/mercator.js');
    expect([nested.status, nested.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    const shapes = await http(platform.baseUrl, 'GET', '/research/geography/municipalities-2019.topojson');
    expect([shapes.status, shapes.body.type]).toEqual([200, 'Topology']);
    expect((await http(platform.baseUrl, 'GET', '/research/assets/common/api.js')).status).toBe(200);
    for (const path of ['/research/vendor/d3-geo/%2e%2e/package.json', '/research/vendor/d3-geo/projection/%2e%2e/%2e%2e/package.json', '/research/assets/index.html', '/research/vendor/typeorm/index.js', '/research/assets/.env']) {
      const refused = await http(platform.baseUrl, 'GET', path);
      expect([path, refused.status, refused.body.error?.code]).toEqual([path, 404, 'resource-not-found']);
    }
  });

  it('draws every municipality, colours the published ones and hatches the suppressed ones without a number', async () => {
    await page.goto(`${platform.baseUrl}/research`);
    await page.getByRole('heading', { name: 'Aanmelden met een onderzoekerssleutel' }).waitFor();
    expect(page.url()).toBe(`${platform.baseUrl}/research/`);
    await expectAccessible('research-sign-in');
    await signIn();
    await mapReady();

    const topology = JSON.parse(readFileSync(new URL('municipalities-2019.topojson', BELGIUM_DATA_DIR), 'utf8'));
    const municipalities: number = topology.objects.regions.geometries.length;
    expect(municipalities).toBe(581);
    expect(await page.locator('svg.map path[data-nis]').count()).toBe(municipalities);

    const table = await api('/v1/research/participation?groupBy=homeMunicipality&measures=participants,penetration,index');
    const byCode = new Map(table.cells.map((cell) => [cell.coordinates[0], cell]));
    const regions = await page.locator('svg.map path[data-nis]').evaluateAll((paths) =>
      paths.map((path) => ({ code: path.getAttribute('data-nis')!, status: path.getAttribute('data-status'), value: path.getAttribute('data-value'), title: path.querySelector('title')!.textContent!, fill: path.getAttribute('fill') })),
    );
    const suppressed = table.cells.filter((cell) => /^\d{5}$/.test(cell.coordinates[0]) && cell.obsStatus === 'C');
    expect(suppressed.map((cell) => cell.coordinates[0])).toEqual(expect.arrayContaining(['24062', '34022', '31005']));
    for (const region of regions) {
      const cell = byCode.get(region.code);
      if (!cell) {
        expect(region.status).toBe('none');
      } else if (cell.obsStatus === 'C') {
        expect([region.code, region.status, region.value, region.fill]).toEqual([region.code, 'C', null, 'url(#suppressed-hatch)']);
        expect(region.title).toMatch(/: afgeschermd$/);
        expect(region.title).not.toMatch(DIGIT);
      } else {
        expect([region.code, region.status, Number(region.value)]).toEqual([region.code, 'A', cell.penetration]);
      }
    }
    const legend = page.getByRole('group', { name: 'Legende' });
    await legend.getByText(`afgeschermd (minder dan ${K} personen of af te leiden)`).waitFor();
    await expectAccessible('research-dashboard');

    // The same municipalities as a table: a suppressed row says so and holds no digit; a published one the API's figure.
    await page.getByText('Als tabel').first().click();
    for (const cell of suppressed) {
      const row = page.locator(`table.municipalities tr[data-nis="${cell.coordinates[0]}"]`);
      expect(await row.locator('td').allInnerTexts()).toEqual(['afgeschermd', 'afgeschermd', 'afgeschermd']);
    }
    const gent = byCode.get('44021')!;
    expect(gent.obsStatus).toBe('A');
    const gentRow = await page.locator('table.municipalities tr[data-nis="44021"] td').allInnerTexts();
    expect(gentRow[0]).toBe(new Intl.NumberFormat('nl-BE').format(gent.participants!));
  });

  it('never shows a number where the API withholds one, nor a true count of a suppressed cell', async () => {
    await signIn();
    await mapReady();
    const bars: Record<string, Cell[]> = {};
    for (const dimension of ['ageBand', 'priceCategory', 'channel']) {
      bars[dimension] = (await api(`/v1/research/participation?groupBy=${dimension}&measures=participants,tickets`)).cells;
      const card = page.locator(`section[data-dimension="${dimension}"]`);
      await card.locator('tbody tr').first().waitFor();
      const rows = await card.locator('tbody tr').evaluateAll((elements) => elements.map((row) => ({ code: row.getAttribute('data-code')!, status: row.getAttribute('data-status'), value: row.querySelector('.bar-value')!.textContent!.trim(), style: row.querySelector('.bar')!.getAttribute('style') })));
      const cells = bars[dimension].filter((cell) => cell.coordinates[0] !== '_T');
      expect(rows.map((row) => row.code).sort()).toEqual(cells.map((cell) => cell.coordinates[0]).sort());
      for (const row of rows) {
        const cell = cells.find((candidate) => candidate.coordinates[0] === row.code)!;
        if (cell.obsStatus === 'C') expect([dimension, row.code, row.status, row.value, row.style]).toEqual([dimension, row.code, 'C', 'afgeschermd', null]);
        else expect([dimension, row.code, row.status, row.value]).toEqual([dimension, row.code, 'A', new Intl.NumberFormat('nl-BE').format(cell.participants!)]);
      }
    }
    // Some categories are withheld in this data (the youngest and oldest age bands), so the check above is not vacuous.
    expect(Object.values(bars).flat().filter((cell) => cell.obsStatus === 'C').length).toBeGreaterThan(0);

    // Everything the page marks as withheld, in every view (figures, map regions, table cells), carries no digit and no value.
    const withheld = await page.locator('span[data-status="C"], tr[data-status="C"] td, path[data-status="C"]').evaluateAll((elements) =>
      elements.map((element) => ({ text: element.tagName === 'path' ? element.querySelector('title')!.textContent!.replace(/^.*: /, '') : element.textContent ?? '', value: element.getAttribute('data-value') })),
    );
    expect(withheld.length).toBeGreaterThan(3);
    for (const element of withheld) expect([element.text, element.value]).toEqual([expect.not.stringMatching(DIGIT), null]);

    // The true counts of the suppressed municipalities appear nowhere beside their names.
    const dataSource = platform.app.get(DataSource);
    const truth: Array<{ code: string; persons: number }> = await dataSource.query(`SELECT home_nis5 AS code, count(DISTINCT person_key)::int AS persons FROM participation_ticket WHERE home_nis5 IN ('24062', '34022', '31005') GROUP BY 1`);
    expect(truth.map((row) => row.persons).sort()).toEqual([1, 2, 4]);
    await page.getByText('Als tabel').first().click();
    for (const row of truth) {
      const texts = [
        await page.locator(`svg.map path[data-nis="${row.code}"] title`).textContent(),
        await page.locator(`table.municipalities tr[data-nis="${row.code}"]`).innerText(),
      ];
      for (const text of texts) expect(text).not.toContain(String(row.persons));
    }
  });

  it('downloads each view as the API’s CSV, with suppressed values empty', async () => {
    await signIn();
    await mapReady();
    const map = page.getByRole('region', { name: 'Waar de deelnemers wonen' });
    const [download] = await Promise.all([page.waitForEvent('download'), map.getByRole('button', { name: 'CSV van “Waar de deelnemers wonen” downloaden' }).click()]);
    expect(download.suggestedFilename()).toBe('participation-homeMunicipality.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const fromApi = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=homeMunicipality&measures=participants,penetration,index&format=csv', { token: researcherKey });
    expect(text).toBe(fromApi.text);
    const rows: Array<Record<string, string>> = parse(text, { columns: true });
    const confidential = rows.filter((row) => row.obsStatus === 'C');
    expect(confidential.length).toBeGreaterThan(0);
    for (const row of confidential) expect([row.participants, row.penetration, row.index]).toEqual(['', '', '']);

    const channel = page.locator('section[data-dimension="channel"]');
    const [channelDownload] = await Promise.all([page.waitForEvent('download'), channel.getByRole('button', { name: /CSV/ }).click()]);
    const channelRows: Array<Record<string, string>> = parse(readFileSync((await channelDownload.path())!, 'utf8'), { columns: true });
    expect(channelRows.map((row) => row.channel)).toContain('_T');

    const trend = page.getByRole('region', { name: 'Verloop per maand' });
    await trend.locator('table.trend tbody tr').first().waitFor({ state: 'attached' });
    const [trendDownload] = await Promise.all([page.waitForEvent('download'), trend.getByRole('button', { name: /CSV/ }).click()]);
    const trendRows: Array<Record<string, string>> = parse(readFileSync((await trendDownload.path())!, 'utf8'), { columns: true });
    expect(trendRows.map((row) => row.period)).toEqual(expect.arrayContaining(['2026-09', '2026-12', '2027-01']));
  });

  it('draws the monthly trend and compares an organisation with its peers, also after choosing a selection', async () => {
    await signIn();
    await mapReady();
    const trendApi = await api<{ series: Array<{ coordinates: unknown[]; points: Array<{ period: string; obsStatus: string; participants: number | null }> }> }>('/v1/research/trends?period=month&measures=participants,tickets');
    const points = trendApi.series[0].points;
    // Continuous: December, without performances, is a month with zero participants.
    expect(points.map((point) => point.period)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    const trend = page.getByRole('region', { name: 'Verloop per maand' });
    await trend.locator('canvas').waitFor();
    const periods = await trend.locator('table.trend tbody tr').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-period'), row.getAttribute('data-status')]));
    expect(periods).toEqual(points.map((point) => [point.period, point.obsStatus]));

    const comparison = page.getByRole('region', { name: 'Vergelijking met gelijkaardige organisaties' });
    await comparison.getByText('Kies een organisatie om ze met haar peergroep te vergelijken.').waitFor();
    await page.getByLabel('Organisatie', { exact: true }).selectOption({ label: 'Huis 1' });
    expect(page.url()).toMatch(/#\?organizer=/);
    const table = comparison.locator('table.comparators[data-state="available"]');
    await table.waitFor();
    const organizer = new URL(page.url().replace('#?', '?')).searchParams.get('organizer')!;
    const fromApi = await api<{ available: boolean; peers: { organizations: number }; rows: Array<{ coordinates: Array<{ code: string }>; organization: { obsStatus: string; participants: number | null }; peers: { obsStatus: string; participants: number | null } }> }>(
      `/v1/research/comparators?organizer=${encodeURIComponent(organizer)}&peers=province&groupBy=ageBand&measures=participants,tickets,visitsPerParticipant`,
    );
    expect(fromApi.available).toBe(true);
    expect(fromApi.peers.organizations).toBe(ORGANISATIONS - 1);
    await expectAccessible('research-comparison');
    for (const row of fromApi.rows) {
      const cells = await table.locator(`tbody tr[data-code="${row.coordinates[0].code}"] td`).allInnerTexts();
      expect(cells[0]).toBe(row.organization.obsStatus === 'C' ? 'afgeschermd' : new Intl.NumberFormat('nl-BE').format(row.organization.participants!));
      expect(cells[2]).toBe(row.peers.obsStatus === 'C' ? 'afgeschermd' : new Intl.NumberFormat('nl-BE').format(row.peers.participants!));
    }
    // One organisation's map: fewer published municipalities than all six together.
    await page.locator('svg.map path[data-status="C"]').first().waitFor();
    const organisationMap = await api(`/v1/research/participation?groupBy=homeMunicipality&measures=participants,penetration,index&organizer=${encodeURIComponent(organizer)}`);
    const published = organisationMap.cells.filter((cell) => /^\d{5}$/.test(cell.coordinates[0]) && cell.obsStatus === 'A').map((cell) => cell.coordinates[0]).sort();
    await until(async () => (await page.locator('svg.map path[data-status="A"]').count()) === published.length);
    expect((await page.locator('svg.map path[data-status="A"]').evaluateAll((paths) => paths.map((path) => path.getAttribute('data-nis')))).sort()).toEqual(published);
  });

  it('narrows every view to a period given as Brussels days', async () => {
    await signIn();
    await mapReady();
    await page.getByLabel('Vanaf').fill('2026-10-01');
    await page.getByLabel('Tot').fill('2026-11-30');
    await page.waitForURL(/from=2026-10-01&to=2026-11-30/);
    // October 1st and December 1st, 00:00 in Brussels (summer, then winter time).
    const period = 'from=2026-09-30T22:00:00.000Z&to=2026-11-30T23:00:00.000Z';
    const total = (await api(`/v1/research/participation?measures=participants,tickets,visitsPerParticipant,revenue&${period}`)).cells[0];
    const everything = (await api('/v1/research/participation?measures=participants')).cells[0];
    expect(total.participants).toBeLessThan(everything.participants!);
    const figure = page.locator('.stat[data-measure="participants"] .value');
    await until(async () => (await figure.textContent()) === new Intl.NumberFormat('nl-BE').format(total.participants!));
    expect(await figure.innerText()).toBe(new Intl.NumberFormat('nl-BE').format(total.participants!));
    const trend = page.getByRole('region', { name: 'Verloop per maand' });
    await until(async () => (await trend.locator('table.trend tbody tr').count()) === 2);
    expect(await trend.locator('table.trend tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-period')))).toEqual(['2026-10', '2026-11']);
  });

  it('speaks English, keeps the key in the tab only, and links the console both ways', async () => {
    await signIn();
    await mapReady();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Where participants live' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('group', { name: 'Legend' }).getByText(`suppressed (fewer than ${K} persons, or could be inferred)`).waitFor();
    const titles = await page.locator('svg.map path[data-status="C"] title').allTextContents();
    expect(titles.length).toBeGreaterThan(0);
    for (const title of titles) expect(title).toMatch(/: suppressed$/);
    await page.getByLabel('The map shows').selectOption('index');
    await page.getByRole('group', { name: 'Legend' }).getByText('under-represented', { exact: false }).waitFor();
    await expectAccessible('research-english-index');
    await page.setViewportSize({ width: 420, height: 900 });
    await expectAccessible('research-narrow');
    await page.setViewportSize({ width: 1440, height: 1000 });
    expect(await page.evaluate("[sessionStorage.getItem('cdp-research-key') !== null, localStorage.getItem('cdp-research-key')]")).toEqual([true, null]);

    await page.getByRole('link', { name: 'Console' }).click();
    await page.waitForURL(`${platform.baseUrl}/console/`);
    await page.getByRole('link', { name: /^(Onderzoek|Research)$/ }).first().click();
    await page.waitForURL(/\/research\/$/);
    // Signed in still (same tab), in the language chosen before.
    await page.getByRole('heading', { name: 'Where participants live' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in with a researcher key' }).waitFor();
    expect(await page.evaluate("sessionStorage.getItem('cdp-research-key')")).toBeNull();
  });
});
