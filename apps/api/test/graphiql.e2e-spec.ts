import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { launchBrowser, recordForeignRequests } from '../../../test/support/browser.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

// A real browser on a shared 2-core machine: generous limits, the waits themselves are event-driven.
jest.setTimeout(90_000);

/** GraphiQL from the platform itself, in a real headless Chromium, with every foreign request blocked. */
describe('GraphiQL on GET /graphql (e2e, headless Chromium)', () => {
  let platform: TestApp;
  let browser: Browser;
  let key: string;

  beforeAll(async () => {
    platform = await startTestApp();
    key = await platform.createSource('graphiql');
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/graphiql/activities?wait=true', {
      token: key,
      body: [anActivity({ externalId: 'gq-1', title: { nl: 'Kamerconcert' }, performances: [aPerformance('gq-1-p', { start: '2030-05-01T20:00:00+02:00', availability: { capacity: 100, remaining: 50, level: 'InStock', changedAt: '2026-12-01T10:00:00Z' } })] })],
    });
    expect(pushed.body.summary.accepted).toBe(1);
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });

  it('answers a browser with GraphiQL and GraphQL clients with GraphQL', async () => {
    const page = await http(platform.baseUrl, 'GET', '/graphql', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('/graphiql/assets/app.js');
    expect(page.text).not.toMatch(/https?:\/\/(?!localhost)/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const query = await http(platform.baseUrl, 'GET', '/graphql?query=%7B__typename%7D', { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(query.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('runs a query and a subscription in the browser, offline', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const foreign = await recordForeignRequests(page, platform.baseUrl);
    const subscription = 'subscription { availabilityChanged { performanceExternalId remaining } }';
    await page.goto(`${platform.baseUrl}/graphql?query=${encodeURIComponent(subscription)}`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 60_000 });
    await page.locator('.graphiql-execute-button').click();
    // Give graphql-ws a moment to register the subscription on the server.
    await page.waitForTimeout(800);
    const update = await http(platform.baseUrl, 'PUT', '/v1/sources/graphiql/performances/gq-1-p/availability', { token: key, body: { remaining: 7 } });
    expect(update.status).toBe(200);
    await page.locator('.graphiql-response').getByText('"remaining": 7').waitFor({ timeout: 10_000 });
    expect(await page.locator('.graphiql-response').innerText()).toContain('gq-1-p');
    expect(foreign).toEqual([]);
    await context.close();
  }, 90_000);
});
