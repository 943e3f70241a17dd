import http from 'node:http';
import https from 'node:https';
import { checkLiteral, checkTargetForm, guardedLookup, TargetRefusedError, type TargetPolicy } from './target-guard.js';

export interface SendResult {
  statusCode: number | null;
  /** Network error, time-out, refused target, or the start of a non-2xx answer. */
  error: string | null;
  durationMs: number;
}

const MAX_ANSWER_BYTES = 1024;

/**
 * POSTs one signed message. Redirects are not followed (a redirect could point inside the operator's
 * network); the connection is made to the address the guarded lookup checked. Keep-alive agents: a
 * receiver gets many messages in a row.
 */
export class WebhookSender {
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    this.lookup = guardedLookup(policy);
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets, lookup: this.lookup } as http.AgentOptions);
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets, lookup: this.lookup } as https.AgentOptions);
  }

  send(targetUrl: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = checkTargetForm(targetUrl, this.policy);
      checkLiteral(url, this.policy);
    } catch (error) {
      return Promise.resolve({ statusCode: null, error: `target refused: ${(error as Error).message}`, durationMs: elapsed() });
    }
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const request = client.request(
        url,
        {
          method: 'POST',
          agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'cultuurdata-platform-webhooks/1' },
          timeout: this.timeoutMs,
        },
        (response) => {
          const statusCode = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
            size += chunk.length;
          });
          response.on('end', () => {
            const ok = statusCode >= 200 && statusCode < 300;
            const answer = Buffer.concat(chunks).toString('utf8').slice(0, 200);
            finish({ statusCode, error: ok ? null : `HTTP ${statusCode}${answer ? `: ${answer}` : ''}`, durationMs: elapsed() });
          });
          response.on('error', (error) => finish({ statusCode, error: error.message, durationMs: elapsed() }));
        },
      );
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        const refused = error instanceof TargetRefusedError || error.code === 'ETARGETREFUSED';
        finish({ statusCode: null, error: refused ? `target refused: ${error.message}` : `${error.code ? `${error.code}: ` : ''}${error.message}`, durationMs: elapsed() });
      });
      request.end(body);
    });
  }

  /** Sockets in use, idle and requests waiting for one, over both agents (the stuck-run log says them). */
  load(): { inUse: number; idle: number; waiting: number } {
    const count = (sets: NodeJS.ReadOnlyDict<unknown[]>) => Object.values(sets).reduce((sum, list) => sum + (list?.length ?? 0), 0);
    const agents = [this.httpAgent, this.httpsAgent];
    return {
      inUse: agents.reduce((sum, agent) => sum + count(agent.sockets), 0),
      idle: agents.reduce((sum, agent) => sum + count(agent.freeSockets), 0),
      waiting: agents.reduce((sum, agent) => sum + count(agent.requests), 0),
    };
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
