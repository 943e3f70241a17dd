import { describe, expect, it } from '@jest/globals';
import { EventEmitter } from 'node:events';
import type { AvailabilityEvent, LiveChangesSubscriber } from '@platform/queue';
import { filteredEvents } from './activity.resolver.js';

const event = (activityId: string) => ({ activityId }) as AvailabilityEvent;

describe('filteredEvents', () => {
  it('yields only matching events and removes its listener on return(), also while waiting', async () => {
    const live = new EventEmitter() as unknown as LiveChangesSubscriber;
    const iterator = filteredEvents(live, (candidate) => candidate.activityId === 'a');
    const first = iterator.next();
    expect(live.listenerCount('availability')).toBe(1);
    live.emit('availability', event('b'));
    live.emit('availability', event('a'));
    await expect(first).resolves.toEqual({ done: false, value: event('a') });
    const pending = iterator.next();
    live.emit('availability', event('b'));
    await iterator.return!();
    expect(live.listenerCount('availability')).toBe(0);
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
  });
});
