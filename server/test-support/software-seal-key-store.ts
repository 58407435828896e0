import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sealKeyIdFor } from '../../protocol/seal-keys.ts';
import { SealKeyStoreError, type SealKeyStore, type StoredSealKey } from '../keys/seal-key-store.ts';

/**
 * FOR UNIT TESTS ONLY: the SealKeyStore port with the private keys in this process's memory. The
 * centre's real driver is `Pkcs11SealKeyStore` (an HSM; SoftHSM2 in development). Several centres
 * in one test share one instance, as several centre processes share one HSM.
 */
export class SoftwareSealKeyStoreForTests implements SealKeyStore {
  readonly description = 'software key store (unit tests only)';
  private readonly keys = new Map<string, StoredSealKey & { privateKey: KeyObject }>();
  /** Counts signatures, so tests can see which key was asked. */
  readonly signatures = new Map<string, number>();

  async generate(label: string): Promise<StoredSealKey> {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const publicKeySpkiDer = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
    const kid = sealKeyIdFor(publicKeySpkiDer);
    this.keys.set(kid, { kid, label, publicKeySpkiDer, privateKey });
    return { kid, label, publicKeySpkiDer };
  }

  async list(): Promise<StoredSealKey[]> {
    return [...this.keys.values()].map(({ kid, label, publicKeySpkiDer }) => ({
      kid,
      label,
      publicKeySpkiDer,
    }));
  }

  async sign(kid: string, bytes: Uint8Array): Promise<Uint8Array> {
    const key = this.keys.get(kid);
    if (!key) throw new SealKeyStoreError('key-not-on-store', kid);
    this.signatures.set(kid, (this.signatures.get(kid) ?? 0) + 1);
    return new Uint8Array(sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
  }

  async destroy(kid: string): Promise<void> {
    this.keys.delete(kid);
  }

  async close(): Promise<void> {}
}
