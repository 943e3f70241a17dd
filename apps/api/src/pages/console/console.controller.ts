import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../../errors/api-error.js';
import { packageDirectory } from '../package-directory.js';
import { contentTypeOf, sendPage } from '../page-headers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLIENT = path.join(here, 'client');

/**
 * Browser modules the console imports, straight from node_modules (no build step): the import map in
 * index.html names them. Only these folders are served.
 */
const VENDOR: Record<string, { package: string; folder: string }> = {
  preact: { package: 'preact', folder: 'dist' },
  'preact-hooks': { package: 'preact', folder: 'hooks/dist' },
  htm: { package: 'htm', folder: 'dist' },
  uplot: { package: 'uplot', folder: 'dist' },
  'graphql-ws': { package: 'graphql-ws', folder: 'dist' },
};

const FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The page and the CSP hash of its inline import map (the only inline script). */
function readPage(): { html: string; hashes: string[] } {
  const html = readFileSync(path.join(CLIENT, 'index.html'), 'utf8');
  const hashes = [...html.matchAll(/<script type="importmap">([\s\S]*?)<\/script>/g)].map((match) => `sha256-${createHash('sha256').update(match[1]).digest('base64')}`);
  return { html, hashes };
}

/** The operators' and vendors' console at /console: a static page over the platform's own REST and GraphQL. */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  private readonly vendorFolders = new Map(Object.entries(VENDOR).map(([name, entry]) => [name, path.join(packageDirectory(entry.package, here), entry.folder)]));

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    // Relative module URLs in the page resolve against /console/, so /console redirects there.
    if (!request.originalUrl.split('?')[0].endsWith('/')) return response.redirect(301, `${request.baseUrl}/console/`);
    const { html, hashes } = readPage();
    sendPage(response, html, hashes);
  }

  @Get('assets/:name')
  asset(@Param('name') name: string, @Res() response: Response): void {
    this.send(response, CLIENT, name);
  }

  @Get('assets/views/:name')
  view(@Param('name') name: string, @Res() response: Response): void {
    this.send(response, path.join(CLIENT, 'views'), name);
  }

  @Get('vendor/:folder/:name')
  vendor(@Param('folder') folder: string, @Param('name') name: string, @Res() response: Response): void {
    const root = this.vendorFolders.get(folder);
    if (!root) throw new ApiError('resource-not-found', { nl: `Geen bibliotheek ${folder}.`, en: `No library ${folder}.` }, 'path folder');
    this.send(response, root, name);
  }

  private send(response: Response, root: string, name: string): void {
    if (!FILE.test(name) || name === 'index.html') throw new ApiError('resource-not-found', { nl: `Geen bestand ${name}.`, en: `No file ${name}.` }, 'path name');
    let contents: Buffer;
    try {
      contents = readFileSync(path.join(root, name));
    } catch {
      throw new ApiError('resource-not-found', { nl: `Geen bestand ${name}.`, en: `No file ${name}.` }, 'path name');
    }
    response.status(200).set({ 'Content-Type': contentTypeOf(name), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(contents);
  }
}
