import type { MunicipalityKey } from './api.ts';
import type { PublishedSealKey, PublishedSealKeys } from './seal-keys.ts';

/**
 * The centre's plain key list (GET /v1/municipality-keys, contract 0.1–0.4) as published keys:
 * each key owned by the municipality the entry names, active, without a validity bound. A list
 * signed by a root (seal-keys.ts verifyKeyList) carries validity and revocation instead.
 */
export function publishedKeysOfCentreList(keys: readonly MunicipalityKey[]): PublishedSealKeys {
  return new Map(
    keys.map((key): [string, PublishedSealKey] => [
      key.kid,
      {
        kid: key.kid,
        municipalityCode: key.municipalityCode,
        publicKeySpkiDer: new Uint8Array(Buffer.from(key.publicKeySpki, 'base64')),
        validFrom: '1970-01-01T00:00:00Z',
        validTo: '9999-12-31T23:59:59Z',
        status: 'active',
      },
    ]),
  );
}
