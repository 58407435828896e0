import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSealRootKeys } from './seal-root-keys.ts';
import { sealKeyIdFor } from './seal-keys.ts';

const pem = (type: 'ec' | 'rsa') => {
  const { publicKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: publicKey.export({ format: 'pem', type: 'spki' }),
    spki: new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
  };
};

describe('parseSealRootKeys', () => {
  it('reads every P-256 PUBLIC KEY block, named by kid', () => {
    const a = pem('ec');
    const b = pem('ec');
    const parsed = parseSealRootKeys(`# roots\n${a.pem}${b.pem}`);
    if (!parsed.ok) throw new Error(parsed.error.detail);
    expect([...parsed.rootKeys.keys()].sort()).toEqual([sealKeyIdFor(a.spki), sealKeyIdFor(b.spki)].sort());
    expect(parsed.rootKeys.get(sealKeyIdFor(a.spki))).toEqual(a.spki);
  });

  it('refuses a file without keys, with a broken block, or with another kind of key', () => {
    expect(parseSealRootKeys('')).toMatchObject({ ok: false, error: { kind: 'root-keys-invalid' } });
    expect(parseSealRootKeys('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toMatchObject({
      ok: false,
      error: { detail: 'key 1 is not a public key' },
    });
    expect(parseSealRootKeys(`${pem('ec').pem}${pem('rsa').pem}`)).toMatchObject({
      ok: false,
      error: { detail: 'key 2 is not EC P-256' },
    });
  });
});
