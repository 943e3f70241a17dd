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
    const messageOf = (environment: Record<string, string>): string => {
      try {
        validateConfig(environment);
      } catch (caught) {
        expect(caught).toBeInstanceOf(ConfigError);
        return (caught as ConfigError).message;
      }
      throw new Error('expected a ConfigError');
    };
    const secrets = messageOf({ ADMIN_TOKEN: 'hunter2', DEMO_API_KEY: 'short-key' });
    expect(secrets).toContain('ADMIN_TOKEN');
    expect(secrets).toContain('DEMO_API_KEY');
    expect(secrets).toContain('(value hidden)');
    expect(secrets).not.toContain('hunter2');
    expect(secrets).not.toContain('short-key');

    const urls = messageOf({ DATABASE_URL: 'mysql://app:s3cret@db/x', REDIS_URL: 'http://:r3dis-pw@cache:6379/0' });
    expect(urls).not.toContain('s3cret');
    expect(urls).not.toContain('r3dis-pw');
    // What is not secret stays, so the message still says what is wrong.
    expect(urls).toContain('"mysql://app:***@db/x"');
    expect(urls).toContain('"http://:***@cache:6379/0"');

    // Unencoded @ or / in a password, or no scheme at all: nothing of the password either.
    const awkward = messageOf({ DATABASE_URL: 'mysql://app:p@ss/w0rd@db/x', REDIS_URL: 'app:t0ken-pw@cache' });
    expect(awkward).not.toMatch(/p@ss|w0rd|t0ken-pw/);
    expect(awkward).toContain('"mysql://app:***@db/x"');
    expect(awkward).toContain('"***@cache"');
  });
});
