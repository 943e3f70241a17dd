import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SOURCE_KINDS, SourceStore, type SourceKind } from '@platform/storage';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiError } from '../errors/api-error.js';
import { isKeyId } from './key-id.js';

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

function readSourceInput(body: unknown): { id: string; name: string; kind: SourceKind } {
  const input = (body ?? {}) as Record<string, unknown>;
  if (typeof input.id !== 'string' || !SOURCE_ID.test(input.id)) {
    throw new ApiError(
      'invalid-argument',
      { nl: 'id: 2-63 tekens, kleine letters, cijfers en koppeltekens.', en: 'id: 2-63 characters, lower-case letters, digits and hyphens.' },
      'body /id',
    );
  }
  if (typeof input.name !== 'string' || input.name.trim() === '') {
    throw new ApiError('invalid-argument', { nl: 'name is verplicht.', en: 'name is required.' }, 'body /name');
  }
  const kind = input.kind ?? 'push';
  if (!SOURCE_KINDS.includes(kind as SourceKind)) {
    throw new ApiError(
      'invalid-argument',
      { nl: `kind moet een van ${SOURCE_KINDS.join(', ')} zijn.`, en: `kind must be one of ${SOURCE_KINDS.join(', ')}.` },
      'body /kind',
    );
  }
  return { id: input.id, name: input.name.trim(), kind: kind as SourceKind };
}


@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin/sources')
export class SourcesController {
  constructor(private readonly sources: SourceStore) {}

  @Post()
  @ApiOperation({ summary: 'Create a source and issue its first vendor key (shown once).' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string', example: 'vooruit' }, name: { type: 'string', example: 'Vooruit Gent' }, kind: { enum: [...SOURCE_KINDS], default: 'push' } },
    },
  })
  async create(@Body() body: unknown) {
    const input = readSourceInput(body);
    const source = await this.sources.create(input);
    if (!source) throw new ApiError('source-exists', { nl: `Bron ${input.id} bestaat al.`, en: `Source ${input.id} already exists.` }, 'body /id');
    const issued = await this.sources.issueKey(source.id);
    return { source, key: issued.key, keyId: issued.keyId };
  }

  @Get()
  @ApiOperation({ summary: 'List sources.' })
  list() {
    return this.sources.list();
  }

  @Post(':sourceId/keys')
  @ApiOperation({ summary: 'Issue another key for a source (rotation): shown once.' })
  async issueKey(@Param('sourceId') sourceId: string) {
    if (!(await this.sources.find(sourceId))) {
      throw new ApiError('source-not-found', { nl: `Onbekende bron: ${sourceId}`, en: `Unknown source: ${sourceId}` }, 'path sourceId');
    }
    return this.sources.issueKey(sourceId);
  }

  @Get(':sourceId/keys')
  @ApiOperation({ summary: 'List the keys of a source (prefix and state only, never the key).' })
  async listKeys(@Param('sourceId') sourceId: string) {
    const keys = await this.sources.listKeys(sourceId);
    return keys.map(({ id, keyPrefix, createdAt, revokedAt }) => ({ keyId: id, keyPrefix, createdAt, revokedAt }));
  }

  @Delete(':sourceId/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key: it stops working at once.' })
  async revokeKey(@Param('sourceId') sourceId: string, @Param('keyId') keyId: string) {
    if (!isKeyId(keyId) || !(await this.sources.revokeKey(sourceId, keyId))) {
      throw new ApiError('key-not-found', { nl: `Geen actieve sleutel ${keyId} voor bron ${sourceId}.`, en: `No live key ${keyId} for source ${sourceId}.` }, 'path keyId');
    }
  }
}
