import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  receivedAt: number;
  /** The status the receiver answered with (0 while it has not answered yet). */
  answered: number;
  /** The sender was gone before the answer could be written (it died while waiting): not a delivery it knows of. */
  connectionLost: boolean;
}

/**
 * A local HTTP endpoint that records every webhook it gets; `respond` decides the status per call
 * (default 204), so tests can make it fail, recover or answer 410 Gone; it may also take its time
 * (a promise), so a test can kill the sender while a delivery is in flight.
 */
export async function startReceiver(respond: (call: number, request: ReceivedWebhook) => number | Promise<number> = () => 204) {
  const received: ReceivedWebhook[] = [];
  let calls = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON: kept as text
      }
      calls += 1;
      const entry: ReceivedWebhook = { headers: request.headers, body, json, receivedAt: Date.now(), answered: 0, connectionLost: false };
      response.on('close', () => {
        if (!response.writableFinished) entry.connectionLost = true;
      });
      // Recorded on arrival: a request whose sender dies before the answer was still received.
      received.push(entry);
      entry.answered = await respond(calls, entry);
      if (!entry.connectionLost && !response.destroyed) response.writeHead(entry.answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    received,
    /** Waits until `count` requests arrived (or fails after timeoutMs). */
    async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedWebhook[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook request(s), got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Platform settings under which webhooks reach a receiver on this machine (http, loopback), three attempts ~0.1 s apart. */
export const LOCAL_WEBHOOK_SETTINGS = {
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ATTEMPTS: '3',
  WEBHOOK_RETRY_BASE_MS: '100',
  CHANGE_POLL_INTERVAL_MS: '50',
};
