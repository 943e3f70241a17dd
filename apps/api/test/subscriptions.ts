import type { Client } from 'graphql-ws';

/** A graphql-ws subscription in a test: collects events; `next()` waits for the next one. */
export function subscribe(client: Client, query: string, variables: Record<string, unknown>) {
  const received: any[] = [];
  let consumed = 0;
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
    /** The next event not returned before (also one that arrived before this call). */
    async next(timeoutMs = 5000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      while (received.length <= consumed && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          resolveNext = resolve;
          setTimeout(resolve, 50);
        });
      }
      if (received.length <= consumed) throw new Error('no subscription event');
      return received[consumed++];
    },
  };
}
