import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/** How sealed credentials look in the database: `{"$sealed": "v1.<iv>.<tag>.<ciphertext>"}` (base64url). */
export interface SealedCredentials {
  $sealed: string;
}

export class SecretBoxError extends Error {}

/**
 * Connector credentials at rest: AES-256-GCM with a key derived from CREDENTIALS_KEY (scrypt). Without a
 * key they are stored as given (the platform warns at start). Opening checks integrity.
 */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(passphrase: string | undefined) {
    this.key = passphrase ? scryptSync(passphrase, 'cultuurdata-platform/connector-credentials', 32) : null;
  }

  get sealing(): boolean {
    return this.key !== null;
  }

  seal(credentials: Record<string, string>): Record<string, string> | SealedCredentials {
    if (!this.key) return credentials;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(credentials), 'utf8'), cipher.final()]);
    return { $sealed: ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.') };
  }

  open(stored: Record<string, string> | SealedCredentials): Record<string, string> {
    if (typeof (stored as SealedCredentials).$sealed !== 'string') return stored as Record<string, string>;
    if (!this.key) throw new SecretBoxError('the connector credentials are sealed with CREDENTIALS_KEY: set the same CREDENTIALS_KEY');
    const [version, iv, tag, body] = (stored as SealedCredentials).$sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new SecretBoxError('sealed connector credentials in an unknown format');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return JSON.parse(Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')) as Record<string, string>;
    } catch {
      throw new SecretBoxError('the connector credentials cannot be opened with this CREDENTIALS_KEY (it is not the key they were sealed with)');
    }
  }
}
