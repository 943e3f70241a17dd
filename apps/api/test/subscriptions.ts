import type { Client } from 'graphql-ws';

/** A graphql-ws subscription in a test: collects events; `next()` waits for the next one. */
export function subscribe(client: Client, query: string, variables: Record<string, unknown>) {
  const received: any[] = [];
  let resolveNext: (() => void) | null = null;
  const ready = new Promise<void>((resolve) => {
    // graphql-ws acknowledges the subscription implicitly; give the server a moment to register it.
    setTimeout(resolve, 300);
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (value) => {
        received.push(value.data);
        resolveNext?.();
      },
      error: (error) => {
        throw error;
      },
      complete: () => undefined,
    },
  );
  return {
    received,
    ready,
    dispose,
    async next(timeoutMs = 5000): Promise<any> {
      const start = received.length;
      const deadline = Date.now() + timeoutMs;
      while (received.length === start && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          resolveNext = resolve;
          setTimeout(resolve, 50);
        });
      }
      if (received.length === start) throw new Error('no subscription event');
      return received[start];
    },
  };
}
