import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { COMMON_VENDOR, StaticPageController, type VendorFolder } from '../page-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Browser modules the console imports, straight from node_modules (no build step): the import map in
 * index.html names them. Only these folders are served.
 */
const VENDOR: Record<string, VendorFolder> = {
  ...COMMON_VENDOR,
  'graphql-ws': { package: 'graphql-ws', folder: 'dist' },
};

/** The operators' and vendors' console at /console: a static page over the platform's own REST and GraphQL. */
@ApiExcludeController()
@Controller('console')
export class ConsoleController extends StaticPageController {
  constructor() {
    super('console', here, VENDOR);
  }
}
