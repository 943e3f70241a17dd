import { describe, expect, it } from '@jest/globals';
import { subscriptionHealth } from './webhook.store.js';

describe('subscriptionHealth (what the console shows an operator)', () => {
  it('is paused when the consumer switched it off, failing when the platform did', () => {
    expect(subscriptionHealth({ status: 'disabled', disabledReason: 'by-consumer' }, 0, 0)).toBe('paused');
    expect(subscriptionHealth({ status: 'disabled', disabledReason: 'gone' }, 0, 0)).toBe('failing');
    expect(subscriptionHealth({ status: 'disabled', disabledReason: 'failing' }, 0, 0)).toBe('failing');
  });

  it('is failing while a message is retried or failed since the last success, active otherwise', () => {
    expect(subscriptionHealth({ status: 'active', disabledReason: null }, 1, 0)).toBe('failing');
    expect(subscriptionHealth({ status: 'active', disabledReason: null }, 0, 2)).toBe('failing');
    expect(subscriptionHealth({ status: 'active', disabledReason: null }, 0, 0)).toBe('active');
  });
});
