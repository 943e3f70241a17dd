import { describe, expect, it } from '@jest/globals';
import { ConfigError, validateConfig } from './app-config.js';

describe('validateConfig', () => {
  it('applies defaults', () => {
    const config = validateConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.ROLE).toBe('all');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('bases IRIs on the port when PUBLIC_BASE_URL is unset', () => {
    expect(validateConfig({ PORT: '3100' }).PUBLIC_BASE_URL).toBe('http://localhost:3100');
  });

  it('parses numbers and strips the trailing slash of the base URL', () => {
    const config = validateConfig({ PORT: '8080', PUBLIC_BASE_URL: 'https://data.example.be/', AVAILABILITY_LIMITED_RATIO: '0.2' });
    expect(config.PORT).toBe(8080);
    expect(config.PUBLIC_BASE_URL).toBe('https://data.example.be');
    expect(config.AVAILABILITY_LIMITED_RATIO).toBe(0.2);
  });

  it('names every wrong variable', () => {
    let error: unknown;
    try {
      validateConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', ADMIN_TOKEN: 'short' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('ADMIN_TOKEN');
  });

  it('never echoes secrets or URL passwords in its message', () => {
    let message = '';
    try {
      validateConfig({ ADMIN_TOKEN: 'hunter2', DATABASE_URL: 'mysql://app:s3cret@db/x' });
    } catch (caught) {
      message = (caught as Error).message;
    }
    expect(message).toContain('ADMIN_TOKEN');
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('s3cret');
    expect(message).toContain('mysql://app:***@db/x');
  });
});
