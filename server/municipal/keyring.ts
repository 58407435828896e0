import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import type { MunicipalityKey } from '../../protocol/api.ts';
import type { CentreRepository } from '../db/repository.ts';

export interface SigningKey {
  kid: string;
  municipalityCode: string;
  privateKey: KeyObject;
  publicKeySpkiDer: Uint8Array;
}

/** kid = the first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo, as hex. */
export function keyIdFor(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest().subarray(0, 8).toString('hex');
}

function signingKeyFrom(municipalityCode: string, pkcs8Der: Uint8Array): SigningKey {
  const privateKey = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
  const details = privateKey.asymmetricKeyDetails;
  if (privateKey.asymmetricKeyType !== 'ec' || details?.namedCurve !== 'prime256v1') {
    throw new TypeError(`municipality ${municipalityCode}: the issuing key must be EC P-256`);
  }
  const publicKeySpkiDer = new Uint8Array(
    createPublicKey(privateKey).export({ format: 'der', type: 'spki' }),
  );
  return { kid: keyIdFor(publicKeySpkiDer), municipalityCode, privateKey, publicKeySpkiDer };
}

/**
 * The municipalities' issuing keys. A key passed in is used and recorded; a municipality without
 * one keeps the newest key in the store, or gets a fresh P-256 key that is persisted.
 * Every key ever recorded is published, so seals made before a key change still verify.
 */
export class MunicipalKeyring {
  private constructor(
    private readonly active: ReadonlyMap<string, SigningKey>,
    private readonly repository: CentreRepository,
  ) {}

  static async open(
    repository: CentreRepository,
    provided: Readonly<Record<string, { privateKeyPkcs8Der: Uint8Array }>>,
    now: () => Date,
  ): Promise<MunicipalKeyring> {
    const active = new Map<string, SigningKey>();
    for (const municipality of await repository.listMunicipalities()) {
      const code = municipality.code;
      const given = provided[code];
      let key: SigningKey;
      if (given) {
        key = signingKeyFrom(code, given.privateKeyPkcs8Der);
      } else {
        const stored = await repository.getMunicipalityKey(code);
        if (stored) {
          key = signingKeyFrom(code, stored.privateKeyPkcs8Der);
        } else {
          const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
          key = signingKeyFrom(code, new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })));
        }
      }
      await repository.putMunicipalityKey({
        kid: key.kid,
        municipalityCode: code,
        privateKeyPkcs8Der: new Uint8Array(key.privateKey.export({ format: 'der', type: 'pkcs8' })),
        publicKeySpkiDer: key.publicKeySpkiDer,
        createdAt: now().getTime(),
      });
      active.set(code, key);
    }
    return new MunicipalKeyring(active, repository);
  }

  signingKey(municipalityCode: string): SigningKey | undefined {
    return this.active.get(municipalityCode);
  }

  /** The public list for GET /v1/municipality-keys. */
  async publicKeys(): Promise<MunicipalityKey[]> {
    return (await this.repository.listMunicipalityKeys()).map((k) => ({
      kid: k.kid,
      municipalityCode: k.municipalityCode,
      publicKeySpki: Buffer.from(k.publicKeySpkiDer).toString('base64'),
    }));
  }
}
