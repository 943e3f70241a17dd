import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Reconciler } from '@platform/pipeline';
import { ActivityQueryStore, ReconciliationStore, type CandidateStatus, type MatchCandidate } from '@platform/storage';
import { DataSource } from 'typeorm';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiError } from '../errors/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES: CandidateStatus[] = ['open', 'confirmed', 'rejected'];

function activityIdOf(value: unknown, where: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new ApiError('invalid-argument', { nl: `${where}: een platform-id (uuid) is verplicht.`, en: `${where}: a platform id (uuid) is required.` }, where);
  }
  return value;
}

/** Operators decide the matches reconciliation was not sure of, and link or unlink by hand. */
@ApiTags('admin: reconciliation')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin/reconciliation')
export class ReconciliationController {
  constructor(
    private readonly store: ReconciliationStore,
    private readonly reconciler: Reconciler,
    private readonly activities: ActivityQueryStore,
    private readonly dataSource: DataSource,
  ) {}

  /** A candidate with enough of both activities to decide without another call. */
  private async present(candidates: MatchCandidate[]) {
    const ids = [...new Set(candidates.flatMap((candidate) => [candidate.activityId, candidate.otherActivityId]))];
    const rows: Array<{ id: string; source_id: string; external_id: string; title: Record<string, string>; first_start: Date | null; place: string | null }> =
      ids.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT activity.id, activity.source_id, activity.external_id, activity.document->'title' AS title, activity.first_start,
                    COALESCE(place.name->>'nl', place.name->>'fr', place.name->>'en') AS place
               FROM activity LEFT JOIN place ON place.id = activity.place_id WHERE activity.id = ANY($1::uuid[])`,
            [ids],
          );
    const summary = new Map(rows.map((row) => [row.id, { id: row.id, source: row.source_id, externalId: row.external_id, title: row.title, firstStart: row.first_start, place: row.place }]));
    return candidates.map((candidate) => ({ ...candidate, activity: summary.get(candidate.activityId) ?? null, other: summary.get(candidate.otherActivityId) ?? null }));
  }

  private async candidateOr404(id: string): Promise<MatchCandidate> {
    const candidate = UUID.test(id) ? await this.store.candidate(id) : null;
    if (!candidate) throw new ApiError('resource-not-found', { nl: `Geen kandidaat-koppeling ${id}.`, en: `No match candidate ${id}.` }, 'path candidateId');
    return candidate;
  }

  @Get('candidates')
  @ApiOperation({ summary: 'The review list: matches reconciliation was not sure of (score between RECONCILE_REVIEW_SCORE and RECONCILE_AUTO_SCORE), best first.' })
  @ApiQuery({ name: 'status', required: false, enum: STATUSES })
  async candidates(@Query('status') status = 'open') {
    if (!STATUSES.includes(status as CandidateStatus)) {
      throw new ApiError('invalid-argument', { nl: `status moet een van ${STATUSES.join(', ')} zijn.`, en: `status must be one of ${STATUSES.join(', ')}.` }, 'query status');
    }
    return this.present(await this.store.candidates(status as CandidateStatus));
  }

  @Post('candidates/:candidateId/confirm')
  @ApiOperation({ summary: 'Confirm a match: both activities are published as one from now on.' })
  async confirm(@Param('candidateId') candidateId: string) {
    const candidate = await this.candidateOr404(candidateId);
    const cluster = await this.reconciler.link(candidate.activityId, candidate.otherActivityId, 'confirmed');
    return { ...(await this.present([(await this.store.candidate(candidate.id))!]))[0], clusterId: cluster?.clusterId ?? (await this.store.publishedIds([candidate.activityId])).get(candidate.activityId) };
  }

  @Post('candidates/:candidateId/reject')
  @ApiOperation({ summary: 'Reject a match: the two stay separate and are not proposed again.' })
  async reject(@Param('candidateId') candidateId: string) {
    const candidate = await this.candidateOr404(candidateId);
    const published = await this.store.publishedIds([candidate.activityId, candidate.otherActivityId]);
    if (published.get(candidate.activityId) === published.get(candidate.otherActivityId)) {
      throw new ApiError(
        'already-linked',
        {
          nl: 'Deze twee zijn al gekoppeld (een andere koppeling verbindt ze); ontkoppel er een met DELETE /v1/admin/reconciliation/links/{activityId}.',
          en: 'These two are linked already (through another link); unlink one with DELETE /v1/admin/reconciliation/links/{activityId}.',
        },
        'path candidateId',
      );
    }
    await this.store.decide(this.dataSource, candidate.activityId, candidate.otherActivityId, 'rejected');
    return (await this.present([(await this.store.candidate(candidate.id))!]))[0];
  }

  @Post('links')
  @ApiOperation({ summary: 'Link two activities by hand (any sources): published as one.' })
  @ApiBody({ schema: { type: 'object', required: ['activityId', 'otherActivityId'], properties: { activityId: { type: 'string' }, otherActivityId: { type: 'string' } } } })
  async link(@Body() body: { activityId?: unknown; otherActivityId?: unknown }) {
    const a = activityIdOf(body?.activityId, 'body /activityId');
    const b = activityIdOf(body?.otherActivityId, 'body /otherActivityId');
    if (a === b) throw new ApiError('invalid-argument', { nl: 'Twee verschillende activiteiten, graag.', en: 'Two different activities, please.' }, 'body /otherActivityId');
    for (const [id, where] of [[a, 'body /activityId'], [b, 'body /otherActivityId']]) {
      if (!(await this.activities.findActivity(id))) throw new ApiError('resource-not-found', { nl: `Geen activiteit ${id}.`, en: `No activity ${id}.` }, where);
    }
    const cluster = await this.reconciler.link(a, b, 'manual');
    return { clusterId: cluster?.clusterId ?? (await this.store.publishedIds([a])).get(a), members: await this.store.clusterMemberIds(a) };
  }

  @Delete('links/:activityId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Unlink an activity: it is published on its own again (and not matched back).' })
  async unlink(@Param('activityId') activityId: string) {
    const id = activityIdOf(activityId, 'path activityId');
    const result = await this.reconciler.unlink(id);
    if (!result) throw new ApiError('resource-not-found', { nl: `Activiteit ${id} is met niets gekoppeld.`, en: `Activity ${id} is not linked to anything.` }, 'path activityId');
    return { activityId: id, ...result };
  }

  @Post('run')
  @ApiOperation({ summary: 'Run reconciliation again for a source\'s activities (or the given ids), e.g. after changing the thresholds.' })
  @ApiBody({ schema: { type: 'object', properties: { sourceId: { type: 'string' }, activityIds: { type: 'array', items: { type: 'string' } } } } })
  async run(@Body() body: { sourceId?: unknown; activityIds?: unknown }) {
    let ids: string[];
    if (Array.isArray(body?.activityIds)) ids = body.activityIds.map((id, index) => activityIdOf(id, `body /activityIds/${index}`));
    else if (typeof body?.sourceId === 'string') {
      ids = ((await this.dataSource.query('SELECT id FROM activity WHERE source_id = $1', [body.sourceId])) as Array<{ id: string }>).map((row) => row.id);
    } else {
      throw new ApiError('invalid-argument', { nl: 'Geef sourceId of activityIds.', en: 'Give sourceId or activityIds.' }, 'body');
    }
    let linked = 0;
    let proposed = 0;
    for (let offset = 0; offset < ids.length; offset += 500) {
      const result = await this.reconciler.reconcile(ids.slice(offset, offset + 500));
      linked += result.linked;
      proposed += result.proposed;
    }
    return { activities: ids.length, linked, proposed };
  }
}
