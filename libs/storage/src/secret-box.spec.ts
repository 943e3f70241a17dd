import { describe, expect, it } from '@jest/globals';
import { SecretBox, SecretBoxError } from './secret-box.js';

describe('SecretBox (connector credentials at rest)', () => {
  const credentials = { accessKey: 'AK-1234', secretKey: 'very-secret-value' };

  it('seals so that the secret is not in what is stored, and opens it again', () => {
    const box = new SecretBox('a-credentials-key-of-some-length');
    const sealed = box.seal(credentials);
    expect(JSON.stringify(sealed)).not.toContain('very-secret-value');
    expect(JSON.stringify(sealed)).toMatch(/^\{"\$sealed":"v1\./);
    expect(box.open(sealed)).toEqual(credentials);
    // a fresh IV every time
    expect(box.seal(credentials)).not.toEqual(sealed);
  });

  it('refuses the wrong key, a tampered value and a missing key, saying what to do', () => {
    const sealed = new SecretBox('a-credentials-key-of-some-length').seal(credentials) as { $sealed: string };
    expect(() => new SecretBox('another-key-of-some-length!!').open(sealed)).toThrow(SecretBoxError);
    // Flip one bit of the ciphertext (decoded: the last base64 character may carry only padding bits).
    const [version, iv, tag, body] = sealed.$sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    bytes[0] ^= 1;
    const tampered = { $sealed: [version, iv, tag, bytes.toString('base64url')].join('.') };
    expect(() => new SecretBox('a-credentials-key-of-some-length').open(tampered)).toThrow(/cannot be opened/);
    expect(() => new SecretBox(undefined).open(sealed)).toThrow(/set the same CREDENTIALS_KEY/);
  });

  it('without a key stores and reads credentials as given (older data stays readable with a key too)', () => {
    expect(new SecretBox(undefined).seal(credentials)).toEqual(credentials);
    expect(new SecretBox('a-credentials-key-of-some-length').open(credentials)).toEqual(credentials);
  });
});
