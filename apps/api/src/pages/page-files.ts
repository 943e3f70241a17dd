import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../errors/api-error.js';
import { packageDirectory } from './package-directory.js';
import { contentTypeOf, sendPage } from './page-headers.js';

/** A folder of an npm package a page imports in the browser (named in its import map). */
export interface VendorFolder {
  package: string;
  folder: string;
}

/** The npm folders every page imports (its UI and its charts); a page adds its own to these. */
export const COMMON_VENDOR: Readonly<Record<string, VendorFolder>> = {
  preact: { package: 'preact', folder: 'dist' },
  'preact-hooks': { package: 'preact', folder: 'hooks/dist' },
  htm: { package: 'htm', folder: 'dist' },
  uplot: { package: 'uplot', folder: 'dist' },
};

/** Browser modules every page shares (API client, translator, resources): served as `assets/common/...`. */
const COMMON_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'common', 'client');

/** One path segment: no dot-dot, no hidden file, no separator. */
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A route's wildcard parameter (Express 5 gives the segments as an array) as checked segments. */
function segmentsOf(value: string | string[]): string[] | null {
  const segments = Array.isArray(value) ? value : value.split('/');
  return segments.length > 0 && segments.every((segment) => SEGMENT.test(segment)) ? segments : null;
}

/**
 * The files of a static page with no build step: its index.html (the inline import map admitted by its
 * sha256 in the CSP), its own client folder, the shared common folder and the node_modules folders it
 * imports. Nothing else is served, and nothing from outside these folders.
 */
export class PageFiles {
  private readonly vendorFolders: Map<string, string>;

  /** `from`: the caller's folder, where the npm packages are looked up from. */
  constructor(
    private readonly client: string,
    vendor: Record<string, VendorFolder>,
    from: string,
  ) {
    this.vendorFolders = new Map(Object.entries(vendor).map(([name, entry]) => [name, path.join(packageDirectory(entry.package, from), entry.folder)]));
  }

  /** The page at `/{mount}/`: relative module URLs resolve against the trailing slash, so `/{mount}` redirects there. */
  sendIndex(request: Request, response: Response, mount: string): void {
    if (!request.originalUrl.split('?')[0].endsWith('/')) return response.redirect(301, `${request.baseUrl}/${mount}/`);
    const html = readFileSync(path.join(this.client, 'index.html'), 'utf8');
    const hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((match) => `sha256-${createHash('sha256').update(match[1]).digest('base64')}`);
    sendPage(response, html, hashes);
  }

  /** A file of the page's client folder, or of the common one (`common/...`). */
  sendAsset(response: Response, filePath: string | string[]): void {
    const segments = segmentsOf(filePath);
    if (segments?.[0] === 'common') return this.send(response, COMMON_CLIENT, segments.slice(1));
    if (segments?.length === 1 && segments[0] === 'index.html') return this.notFound('index.html');
    this.send(response, this.client, segments);
  }

  /** A file of one of the page's npm folders. */
  sendVendor(response: Response, folder: string, filePath: string | string[]): void {
    const root = this.vendorFolders.get(folder);
    if (!root) throw new ApiError('resource-not-found', { nl: `Geen bibliotheek ${folder}.`, en: `No library ${folder}.` }, 'path folder');
    this.send(response, root, segmentsOf(filePath));
  }

  /** One named file of another folder the page reads (reference data), with its own caching. */
  sendFileFrom(response: Response, root: string, name: string, cacheControl: string): void {
    this.send(response, root, segmentsOf(name), cacheControl);
  }

  /** Files are read whole (page files are small); `no-cache` lets the browser revalidate by ETag. */
  private send(response: Response, root: string, segments: string[] | null, cacheControl = 'no-cache'): void {
    if (!segments || segments.length === 0) return this.notFound('(a path outside the page)');
    let contents: Buffer;
    try {
      contents = readFileSync(path.join(root, ...segments));
    } catch {
      return this.notFound(segments.join('/'));
    }
    const name = segments[segments.length - 1];
    response.status(200).set({ 'Content-Type': contentTypeOf(name), 'Cache-Control': cacheControl, 'X-Content-Type-Options': 'nosniff' }).send(contents);
  }

  private notFound(name: string): never {
    throw new ApiError('resource-not-found', { nl: `Geen bestand ${name}.`, en: `No file ${name}.` }, 'path name');
  }
}

/**
 * The routes every static page has: `/{mount}/` (index.html), `assets/...` (its client files and the
 * shared common ones) and `vendor/{folder}/...` (the npm folders it imports). A page's controller
 * extends this with `@Controller(mount)` and adds routes of its own (Nest inherits the handlers).
 */
export abstract class StaticPageController {
  protected readonly files: PageFiles;

  /** `here`: the page's folder (holding `client/`), where its npm packages are looked up from. */
  protected constructor(
    private readonly mount: string,
    here: string,
    vendor: Record<string, VendorFolder>,
  ) {
    this.files = new PageFiles(path.join(here, 'client'), vendor, here);
  }

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    this.files.sendIndex(request, response, this.mount);
  }

  @Get('assets/*path')
  asset(@Param('path') file: string | string[], @Res() response: Response): void {
    this.files.sendAsset(response, file);
  }

  @Get('vendor/:folder/*path')
  vendor(@Param('folder') folder: string, @Param('path') file: string | string[], @Res() response: Response): void {
    this.files.sendVendor(response, folder, file);
  }
}
