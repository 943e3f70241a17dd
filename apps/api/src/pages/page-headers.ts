import type { Response } from 'express';

/**
 * Pages load only from this origin (the proof that nothing comes from a CDN, also offline). Monaco
 * and uPlot set inline styles; GraphiQL's editors run in module workers.
 */
export function pageCsp(scriptHashes: string[] = []): string {
  return [
  "default-src 'self'",
  ["script-src 'self'", ...scriptHashes.map((hash) => `'${hash}'`)].join(' '),
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  ].join('; ');
}

/** An HTML page with the CSP; `scriptHashes` admit its inline scripts (an import map) by their sha256. */
export function sendPage(response: Response, html: string, scriptHashes: string[] = []): void {
  response
    .status(200)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': pageCsp(scriptHashes), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', Vary: 'Accept' })
    .send(html);
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.topojson': 'application/json',
};

export function contentTypeOf(name: string): string {
  const extension = name.slice(name.lastIndexOf('.'));
  return TYPES[extension] ?? 'application/octet-stream';
}
