import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PlatformMetrics } from './platform-metrics.js';

interface RoutedRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/**
 * Counts every answer (also those of guards, body parsers and the 404 handler) by the route pattern
 * Express matched, never by the raw path: ids in paths would make the label set unbounded.
 */
export function httpMetricsMiddleware(metrics: PlatformMetrics) {
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const routed = request as RoutedRequest;
      const matched = typeof routed.route?.path === 'string' ? `${routed.baseUrl ?? ''}${routed.route.path}` : routed.baseUrl;
      // Nest answers unknown paths from a catch-all route ({/*splat}): those are one label, not one per path.
      const pattern = !matched || (response.statusCode === 404 && matched.includes('*')) ? (response.statusCode === 404 ? 'unmatched' : 'other') : matched;
      const labels = { method: request.method ?? 'OTHER', route: pattern, status: String(response.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
