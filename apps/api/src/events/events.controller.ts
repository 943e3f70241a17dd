import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { ChangeFollower, headSeq, matches, readChangeEvents, readFilters, toEventData, type ChangeEvent, type ChangeFilters } from '@platform/webhooks';
import { ApiError } from '../errors/api-error.js';

const CHANGE_NUMBER = /^[0-9]{1,18}$/;
const REPLAY_PAGE = 500;
const HEARTBEAT_MS = 15_000;
// A client this far behind is cut off; it reconnects with Last-Event-ID and loses nothing.
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * Server-Sent Events from the change log: each event's `id` is the change number, so a client that
 * reconnects (EventSource sends Last-Event-ID) gets what it missed from the change log, then live
 * changes, without a gap or a duplicate. The same numbers as the feeds, webhooks and GraphQL.
 */
@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly follower: ChangeFollower,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  @Get('changes')
  @ApiOperation({
    summary: 'Every change (text/event-stream). Resume with Last-Event-ID or ?afterChangeNumber=; filter like webhooks: ?kinds=upsert,delete&placeIds=...&municipalities=Gent',
  })
  changes(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    return this.stream(request, response, query, {});
  }

  @Get('availability')
  @ApiOperation({ summary: 'Seat and level changes only (text/event-stream), resumable with Last-Event-ID; filters as /v1/events/changes.' })
  availability(@Req() request: Request, @Res() response: Response, @Query() query: Record<string, unknown>): Promise<void> {
    return this.stream(request, response, query, { kinds: ['availability'] });
  }

  private async stream(request: Request, response: Response, query: Record<string, unknown>, fixed: ChangeFilters): Promise<void> {
    const { afterChangeNumber, ...filterQuery } = query;
    const header = request.header('last-event-id');
    const resumeFrom = header ?? (afterChangeNumber === undefined ? undefined : String(afterChangeNumber));
    if (resumeFrom !== undefined && !CHANGE_NUMBER.test(resumeFrom.trim())) {
      throw new ApiError(
        'invalid-argument',
        { nl: 'Last-Event-ID / afterChangeNumber moet een wijzigingsnummer zijn.', en: 'Last-Event-ID / afterChangeNumber must be a change number.' },
        header !== undefined ? 'header Last-Event-ID' : 'query afterChangeNumber',
      );
    }
    // The availability stream is availability changes whatever `kinds` says.
    const filters = { ...readFilters(filterQuery, 'query '), ...fixed };

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // nginx and similar proxies would otherwise hold events back.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');

    let cursor = resumeFrom?.trim() ?? null;
    let live = false;
    let closed = false;
    const buffered: ChangeEvent[] = [];
    const write = (events: ChangeEvent[]) => {
      // Ended (cut off, or the client left) but not yet closed: nothing more goes out.
      if (response.writableEnded) return;
      let chunk = '';
      for (const event of events) {
        if (BigInt(event.seq) <= BigInt(cursor!)) continue;
        cursor = event.seq;
        if (!matches(filters, event)) continue;
        chunk += `id: ${event.seq}\ndata: ${JSON.stringify(toEventData(event, this.publicBaseUrl))}\n\n`;
      }
      if (chunk) response.write(chunk);
      if (response.writableLength > MAX_BUFFERED_BYTES) response.end();
    };
    const unlisten = await this.follower.listen((events) => {
      if (closed) return;
      if (live) write(events);
      else buffered.push(...events);
    });
    const heartbeat = setInterval(() => {
      if (!response.writableEnded) response.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    const close = () => {
      closed = true;
      clearInterval(heartbeat);
      unlisten();
    };
    request.on('close', close);
    response.on('close', close);

    try {
      // No position: from now on. The follower has its position already, so nothing after the head is lost.
      cursor ??= await headSeq(this.dataSource);
      for (;;) {
        if (closed) return;
        const page = await readChangeEvents(this.dataSource, cursor, REPLAY_PAGE);
        write(page);
        if (page.length < REPLAY_PAGE) break;
        if (response.writableNeedDrain) await new Promise((resolve) => response.once('drain', resolve));
      }
      write(buffered.splice(0));
      live = true;
    } catch (error) {
      response.end();
      close();
      throw error;
    }
  }
}
