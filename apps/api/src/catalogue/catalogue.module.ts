import { Module } from '@nestjs/common';
import { CatalogueController } from './catalogue.controller.js';

/** /datasets: the DCAT-AP catalogue. */
@Module({ controllers: [CatalogueController] })
export class CatalogueModule {}
