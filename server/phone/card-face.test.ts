import { describe, expect, it } from 'vitest';
import { sharedTestCa } from '../../native/test-pki/fixtures.ts';
import { personaliseCard } from '../../native/test-pki/test-jpki-ca.ts';
import { assistBasicInfoFile } from '../../native/virtual-card/card-face.ts';
import { parseBasicInfo, verifyCardFace } from './card-face.ts';

async function testFace() {
  const ca = await sharedTestCa();
  const card = await personaliseCard({
    holderId: 'H9999',
    authPin: '1234',
    signingPin: 'ABC123',
    ca,
    serialNumber: 'abc1',
    notBefore: new Date('2024-01-01T00:00:00Z'),
    notAfter: new Date('2029-01-01T00:00:00Z'),
    holder: { name: '試験 花子', birthDate: '19900203', sex: '2', address: '東京都千代田区1-1' },
  });
  if (!card.face) throw new Error('no face');
  return {
    file: card.face.kenmenFile,
    signingCa: new Uint8Array(ca.signing.certificate.rawData),
    authCa: new Uint8Array(ca.auth.certificate.rawData),
  };
}

describe('verifyCardFace', () => {
  it('reads birth date, sex and photo when a trusted 署名用 CA signed them', async () => {
    const { file, signingCa } = await testFace();
    const result = verifyCardFace(file, [signingCa]);
    expect(result.ok && { birthDate: result.value.birthDate, sex: result.value.sex }).toEqual({
      birthDate: '19900203',
      sex: '2',
    });
    expect(result.ok && result.value.photo.length).toBeGreaterThan(0);
  });

  it('refuses a face whose issuer key is not a configured 署名用 CA (here: the 利用者証明用 CA)', async () => {
    const { file, authCa } = await testFace();
    expect(verifyCardFace(file, [authCa])).toEqual({
      ok: false,
      detail: 'issuer key is not a trusted 署名用 CA',
    });
  });

  it('refuses a face changed after signing (one byte of the signed data)', async () => {
    const { file, signingCa } = await testFace();
    const tampered = Uint8Array.from(file);
    // The birth date's last digit.
    const at = Buffer.from(tampered).indexOf(Buffer.from('19900203'));
    tampered[at + 7] = 0x34;
    expect(verifyCardFace(tampered, [signingCa])).toEqual({ ok: false, detail: 'signature does not verify' });
  });

  it('refuses bytes that are not a 券面AP file', () => {
    expect(verifyCardFace(Uint8Array.from([0x30, 0x00]), []).ok).toBe(false);
  });
});

describe('parseBasicInfo', () => {
  it('reads the 4 facts of the 入力補助AP file', () => {
    const facts = {
      name: '試験 花子',
      address: '東京都千代田区1-1',
      birthDate: '19900203',
      sex: '2' as const,
    };
    expect(parseBasicInfo(assistBasicInfoFile(facts))).toEqual({ ok: true, value: facts });
  });
});

describe('hostile face files (found by tests/fuzz/card-face.fuzz.test.ts)', () => {
  it('refuses a file asn1js cannot decode (an empty GeneralizedTime) instead of throwing', () => {
    const emptyTime = Uint8Array.from([0x18, 0x00]);
    const inTemplate = Uint8Array.from([0xff, 0x20, 0x02, 0x18, 0x00]);
    for (const file of [emptyTime, inTemplate]) {
      expect(verifyCardFace(file, [])).toEqual({ ok: false, detail: 'not a 券面AP file' });
      expect(parseBasicInfo(file)).toEqual({ ok: false, detail: 'not a basic-information file' });
    }
  });
});
