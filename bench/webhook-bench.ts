/**
 * P7 of `npm run bench`: webhook fan-out. 50 local receivers each register one webhook (availability
 * changes only); 1,000 seat changes are committed through the fast lane; every receiver must get every
 * change (50,000 changes received). With `batch` the webhooks are batched (decision W11: one signed
 * request carries up to maxSize changes), without it one signed request per change. Latency is per
 * change, from its commit (`occurredAt` of its change-log entry, the same machine's clock) to the
 * receipt of the request that carried it. The floor: the same bytes (headers + body of every request)
 * written over 50 plain local TCP sockets in the same run.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { benchActivities } from './bench-data.js';

export interface FanOutResult {
  changes: number;
  receivers: number;
  /** Changes x receivers. */
  expected: number;
  /** Changes received (each receiver's distinct change numbers). */
  received: number;
  /** HTTP requests received (= received without batches). */
  requests: number;
  duplicates: number;
  seconds: number;
  p50: number;
  p99: number;
  max: number;
  /** `deliveriesPerSecond`: requests/s; `changesPerSecond`: the changes they carry per second. */
  floor: { deliveriesPerSecond: number; changesPerSecond: number; seconds: number; bytes: number };
  /** CPU seconds from the first seat change until the last receipt (Linux /proc; NaN elsewhere). */
  cpu: CpuSample;
}

/** CPU seconds used so far by the platform's processes and the Postgres backends of its database, and by this process (the receivers). */
export interface CpuSample {
  worker: number;
  api: number;
  postgres: number;
  receivers: number;
}

interface Receipt {
  /** One per change the request carried. */
  latencies: number[];
  bytes: string;
}

interface ChangeBody {
  data: { changeNumber: string; occurredAt: string };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function json(url: string, init: RequestInit & { token?: string }): Promise<any> {
  const response = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function startReceivers(count: number, onDelivery: (index: number, receipt: Receipt, changeNumbers: string[]) => void): Promise<{ urls: string[]; close(): Promise<void> }> {
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let index = 0; index < count; index++) {
    const server = createHttpServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const receivedAt = Date.now();
        const body = Buffer.concat(chunks).toString('utf8');
        // A batch (`type: "batch"`) carries the single-change bodies in `data.messages`.
        const payload = JSON.parse(body) as { type: string; data: { messages: ChangeBody[] } } | ChangeBody;
        const changes = 'type' in payload && payload.type === 'batch' ? (payload as { data: { messages: ChangeBody[] } }).data.messages : [payload as ChangeBody];
        const head = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`).join('\r\n');
        onDelivery(
          index,
          { latencies: changes.map((change) => receivedAt - Date.parse(change.data.occurredAt)), bytes: `POST ${request.url} HTTP/1.1\r\n${head}\r\n\r\n${body}` },
          changes.map((change) => change.data.changeNumber),
        );
        response.writeHead(204).end();
      });
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/${index}`);
  }
  return {
    urls,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))));
    },
  };
}

/** The floor: every delivery's bytes over `sockets` local TCP connections, until the sink has them all. */
async function socketFloor(messages: string[][], changes: number): Promise<FanOutResult['floor']> {
  const expected = messages.reduce((sum, list) => sum + list.reduce((bytes, message) => bytes + Buffer.byteLength(message), 0), 0);
  let received = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const sink = createTcpServer((socket) =>
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= expected) done();
    }),
  );
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const port = (sink.address() as AddressInfo).port;
  const sockets: Socket[] = await Promise.all(messages.map(() => new Promise<Socket>((resolve) => { const socket = connect(port, '127.0.0.1', () => resolve(socket)); })));
  const started = performance.now();
  messages.forEach((list, index) => {
    for (const message of list) sockets[index].write(message);
  });
  await all;
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => sink.close(() => resolve()));
  const count = messages.reduce((sum, list) => sum + list.length, 0);
  return { deliveriesPerSecond: count / seconds, changesPerSecond: changes / seconds, seconds, bytes: expected };
}

/**
 * Runs P7 against a started platform (one api, one worker) whose WEBHOOK_ALLOW_PRIVATE_TARGETS and
 * WEBHOOK_ALLOW_HTTP are on (the receivers are local).
 */
export async function measureFanOut(
  baseUrl: string,
  adminToken: string,
  vendorKey: string,
  sourceId: string,
  options: { changes: number; receivers: number; perRequest: number; batch?: { maxSize: number; maxWaitMs: number }; cpu: () => Promise<CpuSample> },
): Promise<FanOutResult> {
  const activities = Math.ceil(options.changes / 3);
  const items = benchActivities(activities, sourceId);
  for (let offset = 0; offset < items.length; offset += 200) {
    await json(`${baseUrl}/v1/sources/${sourceId}/activities?wait=true`, { method: 'POST', token: vendorKey, body: JSON.stringify(items.slice(offset, offset + 200)) });
  }
  const receipts: Receipt[][] = Array.from({ length: options.receivers }, () => []);
  const seen = new Set<string>();
  let duplicates = 0;
  let lastReceipt = 0;
  let requestsReceived = 0;
  const receivers = await startReceivers(options.receivers, (index, receipt, changeNumbers) => {
    requestsReceived += 1;
    receipts[index].push(receipt);
    for (const changeNumber of changeNumbers) {
      const key = `${index}/${changeNumber}`;
      if (seen.has(key)) duplicates += 1;
      else seen.add(key);
    }
    lastReceipt = performance.now();
  });
  try {
    const consumer = await json(`${baseUrl}/v1/admin/consumers`, { method: 'POST', token: adminToken, body: JSON.stringify({ id: 'bench-calendars', name: 'Bench calendars' }) });
    for (const url of receivers.urls) {
      await json(`${baseUrl}/v1/webhooks`, { method: 'POST', token: consumer.key, body: JSON.stringify({ url, filters: { kinds: ['availability'] }, ...(options.batch ? { batch: options.batch } : {}) }) });
    }
    // Seat changes of the seeded performances (150-152 seats left), each one a change: 1,000 in requests of `perRequest`.
    const performances = items.flatMap((activity) => activity.performances.map((performance) => performance.externalId)).slice(0, options.changes);
    const cpuBefore = await options.cpu();
    const started = performance.now();
    const requests: Promise<unknown>[] = [];
    for (let offset = 0; offset < performances.length; offset += options.perRequest) {
      const body = performances.slice(offset, offset + options.perRequest).map((performanceId, index) => ({ performanceId, capacity: 400, remaining: 100 + ((offset + index) % 40) }));
      requests.push(json(`${baseUrl}/v1/sources/${sourceId}/availability`, { method: 'PUT', token: vendorKey, body: JSON.stringify(body) }));
      // In flight at most 4 requests, as a ticketing system pushing sales would.
      if (requests.length >= 4) await Promise.all(requests.splice(0));
    }
    await Promise.all(requests);
    const expected = performances.length * options.receivers;
    const deadline = Date.now() + 120_000;
    while (seen.size < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = ((seen.size >= expected ? lastReceipt : performance.now()) - started) / 1000;
    const cpuAfter = await options.cpu();
    const cpu = Object.fromEntries(Object.entries(cpuAfter).map(([name, value]) => [name, value - cpuBefore[name as keyof CpuSample]])) as unknown as CpuSample;
    const latencies = receipts.flat().flatMap((receipt) => receipt.latencies).sort((left, right) => left - right);
    const floor = await socketFloor(receipts.map((list) => list.map((receipt) => receipt.bytes)), latencies.length);
    return {
      changes: performances.length,
      receivers: options.receivers,
      expected,
      received: seen.size,
      requests: requestsReceived,
      duplicates,
      seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? Number.NaN,
      floor,
      cpu,
    };
  } finally {
    await receivers.close();
  }
}
