import type { BatchView } from '@platform/storage';

/** The per-item report of a batch as vendors read it (GET /v1/batches/{id} and ?wait=true). */
export function presentBatch({ batch, items }: BatchView) {
  return {
    batchId: batch.id,
    sourceId: batch.sourceId,
    status: batch.status,
    receivedAt: batch.createdAt,
    finishedAt: batch.finishedAt,
    error: batch.error ?? undefined,
    summary: { items: batch.itemCount, accepted: batch.accepted, rejected: batch.rejected, unchanged: batch.unchanged },
    items: items.map((item) => ({
      position: item.position,
      externalId: item.externalId,
      status: item.status,
      activityId: item.activityId,
      results: item.results,
    })),
  };
}
