import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { launchBrowser, recordForeignRequests } from '../../../test/support/browser.js';
import { TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { gentVenue, startReconciliationPlatform, type ReconciliationPlatform } from './reconciliation-sources.js';
import { http } from './http.js';

const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;
// A real browser on a shared 2-core machine: generous limits, the waits themselves are event-driven.
jest.setTimeout(90_000);

/** The console in a real headless Chromium over the whole platform (Postgres, Redis, BullMQ worker). */
describe('console at /console (e2e, headless Chromium)', () => {
  let sources: ReconciliationPlatform;
  let platform: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let foreign: string[];
  let rejectedBatchId: string;
  let receiver: Receiver;
  let receiverFails = true;

  /** No serious or critical WCAG 2.1 AA violation on what the page shows now. */
  async function expectAccessible(name: string): Promise<void> {
    if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
    const report = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = report.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    expect(serious.map((violation) => `${name}: ${violation.id} ${violation.nodes.map((node: { target: unknown[] }) => node.target.join(' ')).join(', ')}`)).toEqual([]);
  }

  async function signIn(token: string): Promise<void> {
    await page.goto(`${platform.baseUrl}/console/`);
    await page.getByLabel(/admin-token of API-sleutel|admin token or API key/i).fill(token);
    await page.getByRole('button', { name: /^(Aanmelden|Sign in)$/ }).click();
    await page.getByRole('navigation').waitFor();
  }

  beforeAll(async () => {
    sources = await startReconciliationPlatform({
      // A local receiver for the webhook panel; retries far off, so only the replay can deliver.
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_BASE_MS: '600000',
      CHANGE_POLL_INTERVAL_MS: '50',
    });
    receiver = await startReceiver(() => (receiverFails ? 503 : 204));
    platform = sources.platform;
    await sources.push('tickets', [
      anActivity({
        externalId: 'tm-1',
        title: { nl: 'Dez Mona' },
        place: gentVenue('tm-venue', 'Zaal 1'),
        performances: [aPerformance('tm-1-p', { start: '2030-03-01T20:00:00+01:00', end: '2030-03-01T22:00:00+01:00', availability: { capacity: 800, remaining: 120, level: 'InStock', changedAt: '2026-12-01T10:00:00Z' } })],
      }),
    ]);
    const good = anActivity({ externalId: 'cal-1', title: { nl: 'Dez Mona try-out voor scholen' }, place: gentVenue('cal-venue', 'Vooruit'), performances: [aPerformance('cal-1-p', { start: '2030-03-01T20:20:00+01:00', end: '2030-03-01T22:00:00+01:00' })] });
    const tooMany = anActivity({ externalId: 'cal-bad', performances: [aPerformance('cal-bad-p', { availability: { capacity: 10, remaining: 11, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' } })] });
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/calendar/activities?wait=true', { token: sources.key('calendar'), body: [good, tooMany] });
    expect(pushed.body.summary).toMatchObject({ accepted: 1, rejected: 1 });
    rejectedBatchId = pushed.body.batchId;
    const open = await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates', { token: TEST_ADMIN_TOKEN });
    expect(open.body).toHaveLength(1);
    browser = await launchBrowser();
  }, 60_000);

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1360, height: 900 }, locale: 'nl-BE' });
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
    await receiver?.close();
  });

  it('signs the operator in, follows a rejected item to its SHACL reason and its payload, in Dutch and English', async () => {
    await page.goto(`${platform.baseUrl}/console/`);
    await expectAccessible('sign-in');
    await signIn(TEST_ADMIN_TOKEN);
    await page.getByRole('heading', { name: 'Overzicht van het laatste uur' }).waitFor();
    await page.getByText('Beheerder').waitFor();
    const elsewhere = page.getByRole('navigation', { name: 'Hoofdmenu' });
    expect(await elsewhere.getByRole('link', { name: 'GraphiQL' }).getAttribute('href')).toBe('/graphql');
    expect(await elsewhere.getByRole('link', { name: 'Onderzoek' }).getAttribute('href')).toBe('/research/');
    await expectAccessible('overview');

    await page.getByLabel('Bron', { exact: true }).selectOption('calendar');
    await page.getByRole('link', { name: 'Batches en afwijzingen' }).click();
    const rejections = page.getByRole('region', { name: 'Laatste afgewezen items' });
    await rejections.getByRole('link', { name: 'cal-bad' }).click();
    await page.getByRole('heading', { name: /^Batch/ }).waitFor();
    expect(page.url()).toContain(`#/batches/${rejectedBatchId}?item=1`);
    const reasons = page.getByRole('list', { name: 'Redenen voor item 1' });
    await reasons.getByText('schema:remainingAttendeeCapacity').first().waitFor();
    const dutch = await reasons.locator('.message').first().innerText();
    await page.getByRole('heading', { name: 'Item 1 in de payload' }).waitFor();
    expect(await page.getByLabel('Item 1 in de payload').innerText()).toContain('"externalId": "cal-bad"');
    await expectAccessible('batch');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Item 1 in the payload' }).waitFor();
    const english = await page.getByRole('list', { name: 'Reasons for item 1' }).locator('.message').first().innerText();
    expect(english).not.toEqual(dutch);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
  });

  it('confirms a review candidate, which then publishes the two as one', async () => {
    await signIn(TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Te beoordelen koppelingen' }).click();
    const candidate = page.getByRole('region', { name: /Mogelijke koppeling: Dez Mona/ });
    await candidate.waitFor();
    await expectAccessible('review');
    await candidate.getByRole('button', { name: 'Bevestigen' }).click();
    await page.getByRole('status').getByText('Bevestigd: de twee worden als één activiteit gepubliceerd.').waitFor();
    await page.getByText('Niets te beoordelen.').waitFor();
    const confirmed = await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates?status=confirmed', { token: TEST_ADMIN_TOKEN });
    expect(confirmed.body).toHaveLength(1);
    await page.getByRole('button', { name: 'Bevestigd' }).click();
    await page.getByRole('button', { name: 'Ontkoppelen' }).waitFor();
  });

  it('shows a seat change arrive by itself in the live availability view', async () => {
    await signIn(TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Live beschikbaarheid' }).click();
    const row = page.locator('tr[data-performance]', { hasText: 'Dez Mona' }).first();
    await row.locator('[data-field="remaining"]').getByText('120').waitFor();
    await page.getByText('Live verbonden: wijzigingen komen vanzelf binnen').waitFor();
    await expectAccessible('live');
    const update = await http(platform.baseUrl, 'PUT', '/v1/sources/tickets/performances/tm-1-p/availability', { token: sources.key('tickets'), body: { remaining: 3 } });
    expect(update.status).toBe(200);
    await row.locator('[data-field="remaining"]').getByText('3', { exact: true }).waitFor({ timeout: 10_000 });
    await row.getByText('laatste plaatsen').waitFor();
  });

  it('shows a vendor its own source only, with its keys and batches', async () => {
    await signIn(sources.key('calendar'));
    await page.getByText('Leverancier').waitFor();
    await page.getByText(/Jouw bron: calendar/).waitFor();
    expect(await page.getByRole('link', { name: 'Te beoordelen koppelingen' }).count()).toBe(0);
    // Webhooks belong to consumers, not to a source: no panel for a vendor, and the admin API refuses its key.
    expect(await page.getByRole('link', { name: 'Webhooks', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'Bronnen en sleutels' }).click();
    await page.getByText('deze sessie').waitFor();
    await expectAccessible('vendor-keys');
    await page.getByRole('link', { name: 'Batches en afwijzingen' }).click();
    await page.getByRole('region', { name: 'Batches' }).getByRole('link').first().waitFor();
    await expectAccessible('vendor-batches');
    // Another source's batch is refused by the API, and the console says why.
    const other = await http(platform.baseUrl, 'GET', '/v1/sources/tickets/batches', { token: sources.key('calendar') });
    expect(other.status).toBe(403);
  });

  it("shows a failing webhook's delivery log to the operator, and a replay from the console reaches the receiver with the same webhook-id", async () => {
    const consumer = await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'agenda-gent', name: 'Stadsagenda Gent' } });
    expect(consumer.status).toBe(201);
    const registered = await http(platform.baseUrl, 'POST', '/v1/webhooks', {
      token: consumer.body.key,
      body: { url: receiver.url, description: 'zitplaatsen in Gent', filters: { kinds: ['availability'] } },
    });
    expect(registered.status).toBe(201);
    const update = await http(platform.baseUrl, 'PUT', '/v1/sources/tickets/performances/tm-1-p/availability', { token: sources.key('tickets'), body: { remaining: 42 } });
    expect(update.status).toBe(200);
    const [first] = await receiver.waitFor(1);
    expect(first.answered).toBe(503);
    const webhookId = first.headers['webhook-id'] as string;
    const changeNumber = first.json.data.changeNumber as string;
    expect(webhookId).toBe(`msg_${registered.body.id.replace(/-/g, '')}_${changeNumber}`);

    // The admin listing and its clear errors.
    expect((await http(platform.baseUrl, 'GET', '/v1/admin/webhooks', { token: sources.key('calendar') })).status).toBe(401);
    const missing = await http(platform.baseUrl, 'GET', '/v1/admin/webhooks/00000000-0000-4000-8000-000000000000/deliveries', { token: TEST_ADMIN_TOKEN });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'webhook-not-found', where: 'path id' });
    const badReplay = await http(platform.baseUrl, 'POST', `/v1/admin/webhooks/${registered.body.id}/replay`, { token: TEST_ADMIN_TOKEN, body: { fromChangeNumber: 'soon' } });
    expect(badReplay.status).toBe(400);
    expect(badReplay.body.error.where).toBe('body /fromChangeNumber');

    await signIn(TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Webhooks', exact: true }).click();
    const row = page.locator(`tr[data-subscription="${registered.body.id}"]`);
    await row.getByText('faalt').waitFor();
    await expect(row.innerText()).resolves.toContain('Stadsagenda Gent');
    await expectAccessible('webhooks');
    await row.getByRole('link', { name: 'zitplaatsen in Gent' }).click();
    const log = page.getByRole('table', { name: 'Afleverlog' });
    const delivery = log.locator(`tr[data-change="${changeNumber}"]`);
    await delivery.locator('[data-field="code"]').getByText('503').waitFor();
    expect(await delivery.locator('[data-field="webhook-id"]').innerText()).toBe(webhookId);
    expect(await delivery.locator('[data-field="error"]').innerText()).toContain('503');
    await delivery.getByText('wacht').waitFor();
    await expectAccessible('webhook-log');

    receiverFails = false;
    await page.getByRole('textbox', { name: 'Wijzigingsnummer' }).fill(changeNumber);
    await page.getByRole('button', { name: 'Opnieuw versturen' }).click();
    await page.getByRole('status').getByText(/1 berichten opnieuw in de wachtrij/).waitFor();
    const [, again] = await receiver.waitFor(2);
    expect(again.answered).toBe(204);
    expect(again.headers['webhook-id']).toBe(webhookId);
    expect(again.json.data.changeNumber).toBe(changeNumber);
    await delivery.getByText('afgeleverd').waitFor({ timeout: 15_000 });
    const listed = await http(platform.baseUrl, 'GET', '/v1/admin/webhooks', { token: TEST_ADMIN_TOKEN });
    expect(listed.body.find((subscription: { id: string }) => subscription.id === registered.body.id)).toMatchObject({
      health: 'active',
      consumer: { id: 'agenda-gent', name: 'Stadsagenda Gent' },
      deliveries: { pending: 0, retrying: 0, delivered: 1, failed: 0 },
    });

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('table', { name: 'Delivery log' }).locator(`tr[data-change="${changeNumber}"]`).getByText('delivered').waitFor();
  });
});
