import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { BELGIUM_DATA_DIR } from '@platform/research';
import { COMMON_VENDOR, StaticPageController, type VendorFolder } from '../page-files.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Browser modules of the research page, from node_modules (the import map in index.html names them). */
const VENDOR: Record<string, VendorFolder> = {
  ...COMMON_VENDOR,
  // d3-geo ships its ES modules as sources only (nested folders); d3-array as one module bundle.
  'd3-geo': { package: 'd3-geo', folder: 'src' },
  'd3-array': { package: 'd3-array', folder: 'dist' },
  'topojson-client': { package: 'topojson-client', folder: 'src' },
};

/** The municipality polygons the map draws (581, REFNIS 2019); they change only with a new release. */
const MAP_FILE = 'municipalities-2019.topojson';

/**
 * The researchers' page at /research: a map, bar charts, a trend and peer comparison over the protected
 * participation API, read with a researcher key. Static files only: the statistics come from the API.
 */
@ApiExcludeController()
@Controller('research')
export class ResearchPageController extends StaticPageController {
  constructor() {
    super('research', here, VENDOR);
  }

  @Get(`geography/${MAP_FILE}`)
  geography(@Res() response: Response): void {
    this.files.sendFileFrom(response, fileURLToPath(BELGIUM_DATA_DIR), MAP_FILE, 'public, max-age=86400');
  }
}
