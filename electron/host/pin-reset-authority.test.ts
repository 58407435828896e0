/**
 * The reset at the kiosk against the reference centre (server/pin-reset/), over real HTTP on
 * loopback, with the virtual card on the in-process reader: the centre redeems the card's grant
 * and builds the command, the kiosk relays it, the card's 署名用 PIN is the new one — or the
 * refusal is typed and the card keeps its old PIN.
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isCardError, type CardSession } from '../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../native/jpki/jpki-client.ts';
import { relayPinReset } from '../../native/jpki/pin-reset.ts';
import { sharedTestCa, testCard, TEST_PIN_RESET_MASTER_KEY } from '../../native/test-pki/fixtures.ts';
import { InProcessCardReader } from '../../native/virtual-card/in-process-reader.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { authenticationMessage, sha256DigestInfo } from '../../protocol/auth-message.ts';
import { ChallengeResponseSchema } from '../../protocol/api.ts';
import { startCentre } from '../../server/centre.ts';
import type { PinResetMode } from '../../server/pin-reset/reset-service.ts';
import { testSealKeyStore } from '../../server/test-support/seal-keys.ts';
import { kioskPinResetAuthority, unconfirmedOutcome } from './pin-reset-authority.ts';
import { createPinResetCentre, type PinResetCentre } from './pin-reset-client.ts';

const NOW = new Date('2026-11-25T03:00:00Z');
const TERMINAL = 'S0042-T02';
const OLD_PIN = 'ABC123';
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'ascii'));
const bindingOf = (der: Uint8Array) => createHash('sha256').update(der).digest('hex');

type Started = Awaited<ReturnType<typeof startCentre>>;

async function centreWith(
  cards: { holderId: string; perso: CardPersonalisation }[],
  mode: PinResetMode,
  logLines: string[],
): Promise<Started> {
  const ca = await sharedTestCa();
  const caDer = new Uint8Array(ca.auth.certificate.rawData);
  return startCentre({
    databasePath: ':memory:',
    trustedCaCertificates: [caDer],
    certificateRegistry: cards.map(({ holderId, perso }) => ({
      caCertificateDer: caDer,
      serialNumberHex: new X509Certificate(Buffer.from(perso.authCertificate)).serialNumber,
      holderId,
    })),
    sealKeys: { store: await testSealKeyStore() },
    now: () => NOW,
    printability: () => [],
    logger: { stream: { write: (line) => void logLines.push(line) } },
    pinReset: { masterKey: TEST_PIN_RESET_MASTER_KEY, mode },
  });
}

let persoA: CardPersonalisation;
let persoB: CardPersonalisation;
let persoC: CardPersonalisation;
let started: Started;
let client: PinResetCentre;
const logLines: string[] = [];
const open: { reader: InProcessReaderLike; session: CardSession }[] = [];
type InProcessReaderLike = InProcessCardReader;

beforeAll(async () => {
  persoA = await testCard({ holderId: 'H0007' });
  persoB = await testCard({ holderId: 'H0001' });
  persoC = await testCard({ holderId: 'H0003' });
  started = await centreWith(
    [
      { holderId: 'H0007', perso: persoA },
      { holderId: 'H0001', perso: persoB },
      { holderId: 'H0003', perso: persoC },
    ],
    'password',
    logLines,
  );
  client = createPinResetCentre({ baseUrl: started.url });
}, 60_000);
afterAll(async () => {
  await client?.close();
  await started?.close();
});
afterEach(async () => {
  for (const { reader, session } of open.splice(0)) {
    await session.close().catch(() => undefined);
    await reader.close();
  }
});

/** A card on a reader, authenticated with its 4-digit PIN at the centre in a new transaction. */
async function atKiosk(perso: CardPersonalisation, centreUrl = started.url) {
  const reader = new InProcessCardReader();
  const card = new VirtualMyNumberCard({ personalisation: perso });
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) throw new Error(session.kind);
  open.push({ reader, session });
  const jpki = new JpkiClient(session.transport);
  const transactionId = randomUUID();
  const post = async (path: string, body: object) =>
    (
      await fetch(centreUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json() as Promise<unknown>;
  const { challenge } = ChallengeResponseSchema.parse(
    await post('/v1/challenge', { transactionId, terminalId: TERMINAL }),
  );
  const signed = await jpki.authenticate({
    pin: pinFromDigits([1, 2, 3, 4]),
    digestInfo: sha256DigestInfo(authenticationMessage(TERMINAL, Buffer.from(challenge, 'base64'))),
  });
  if (signed.kind !== 'authenticated') throw new Error(signed.kind);
  await post('/v1/authenticate', {
    transactionId,
    terminalId: TERMINAL,
    challenge,
    certificate: Buffer.from(signed.certificate).toString('base64'),
    signature: Buffer.from(signed.signature).toString('base64'),
    signatureAlgorithm: 'RS256',
  });
  return { reader, card, jpki, transactionId };
}

/** A grant for the card's 署名用 PIN, issued by `centre` (by default the shared one) at `at`. */
async function grantFor(
  perso: CardPersonalisation,
  holderId: string,
  {
    at = NOW,
    mode = 'password',
    centre = started,
  }: { at?: Date; mode?: PinResetMode; centre?: Started } = {},
) {
  return centre.centre.oneTimePasswords.issue(
    { cardBinding: bindingOf(perso.authCertificate), holderId, municipalityCode: '131016', mode },
    at,
  );
}

type Kiosk = Awaited<ReturnType<typeof atKiosk>>;

/**
 * One 署名用 PIN reset of the kiosk's transaction on TERMINAL: the kiosk's authority for `newPin`
 * (with `oneTimePassword`; without it, the bound-card mode), relayed to the card on the kiosk's
 * reader. The relay's result, and the authority for what it kept.
 */
async function resetAt(
  kiosk: Kiosk,
  reset: { oneTimePassword?: string; newPin: string; centre?: PinResetCentre },
) {
  const authority = kioskPinResetAuthority({
    centre: reset.centre ?? client,
    transactionId: kiosk.transactionId,
    terminalId: TERMINAL,
    ...(reset.oneTimePassword === undefined ? {} : { oneTimePassword: reset.oneTimePassword }),
    newPin: () => reset.newPin,
  });
  return { result: await relayPinReset(kiosk.jpki, authority, 'signing'), authority };
}

async function signingPinWorks(jpki: JpkiClient, pin: string) {
  return (await jpki.verifySigningPin(ascii(pin))).kind === 'ok';
}

describe('PIN reset at the kiosk against the centre', () => {
  it('sets the new 署名用 PIN and restores its counter: the new PIN works, the old one does not', async () => {
    const kiosk = await atKiosk(persoA);
    for (let i = 0; i < 5; i++) await kiosk.jpki.verifySigningPin(ascii('WRONG00'));
    expect(await kiosk.jpki.pinTriesLeft('signing')).toEqual({ kind: 'locked' });
    const { password } = await grantFor(persoA, 'H0007');
    expect((await resetAt(kiosk, { oneTimePassword: password, newPin: 'NEWPIN2026' })).result).toEqual({
      kind: 'reset-done',
    });
    expect(await kiosk.jpki.pinTriesLeft('signing')).toEqual({ kind: 'tries-left', triesLeft: 5 });
    expect(await signingPinWorks(kiosk.jpki, OLD_PIN)).toBe(false);
    expect(await signingPinWorks(kiosk.jpki, 'NEWPIN2026')).toBe(true);
    // Neither the new PIN nor the password is in the centre's log; the decision is.
    const log = logLines.join('');
    expect(log).not.toContain('NEWPIN2026');
    expect(log).not.toContain(password);
    expect(log).toContain('pin reset decision');
    // Reused: the grant is spent.
    expect((await resetAt(kiosk, { oneTimePassword: password, newPin: 'OTHER2026' })).result).toEqual({
      kind: 'centre-refused',
      reason: 'used',
    });
    expect(await signingPinWorks(kiosk.jpki, 'NEWPIN2026')).toBe(true);
  });

  it('refuses another card’s password, an expired one, and locks after five wrong ones', async () => {
    const other = await grantFor(persoB, 'H0001');
    const kiosk = await atKiosk(persoC);
    const attempt = (oneTimePassword: string) => resetAt(kiosk, { oneTimePassword, newPin: 'NEWPIN2027' });
    expect((await attempt(other.password)).result).toEqual({ kind: 'centre-refused', reason: 'no-grant' });

    const expired = await grantFor(persoC, 'H0003', { at: new Date(NOW.getTime() - 25 * 3600_000) });
    expect((await attempt(expired.password)).result).toEqual({ kind: 'centre-refused', reason: 'expired' });

    const { password } = await grantFor(persoC, 'H0003');
    const wrong = String((Number(password) + 1) % 1e8).padStart(8, '0');
    for (const triesLeft of [4, 3, 2, 1, 0]) {
      const { result, authority } = await attempt(wrong);
      expect(result).toEqual({ kind: 'centre-refused', reason: 'wrong-password' });
      expect(authority.refusal()).toEqual({ kind: 'wrong-password', triesLeft });
    }
    expect((await attempt(password)).result).toEqual({ kind: 'centre-refused', reason: 'locked' });
    expect(await signingPinWorks(kiosk.jpki, OLD_PIN)).toBe(true);
  });

  it('refuses a new PIN breaking the rules without spending the grant', async () => {
    const kiosk = await atKiosk(persoB);
    const { password } = await grantFor(persoB, 'H0001');
    for (const bad of ['ABC12', 'abcdef12', 'ABCDEFGHIJ1234567', 'ABC-1234', 'ＡＢＣ１２３']) {
      expect((await resetAt(kiosk, { oneTimePassword: password, newPin: bad })).result).toEqual({
        kind: 'centre-refused',
        reason: 'pin-rules',
      });
    }
    expect((await resetAt(kiosk, { oneTimePassword: password, newPin: 'Z9Z9Z9Z9Z9Z9Z9Z9' })).result).toEqual({
      kind: 'reset-done',
    });
    expect(await signingPinWorks(kiosk.jpki, 'Z9Z9Z9Z9Z9Z9Z9Z9')).toBe(true);
  });

  it('tells an authenticated transaction the centre’s mode, and nobody else', async () => {
    const kiosk = await atKiosk(persoC);
    expect(await client.start({ transactionId: kiosk.transactionId, terminalId: TERMINAL })).toEqual({
      ok: true,
      value: { mode: 'password' },
    });
    expect(await client.start({ transactionId: randomUUID(), terminalId: TERMINAL })).toEqual({
      ok: false,
      failure: { kind: 'centre-error', code: 'not-authenticated', status: 401 },
    });
  });

  it('refuses a transaction that did not authenticate, and one on another terminal', async () => {
    const answer = await client.command({
      transactionId: randomUUID(),
      terminalId: TERMINAL,
      challenge: Buffer.alloc(8).toString('base64'),
      oneTimePassword: '12345678',
      newSigningPin: 'NEWPIN2026',
    });
    expect(answer).toEqual({
      ok: false,
      failure: { kind: 'centre-error', code: 'not-authenticated', status: 401 },
    });
    const kiosk = await atKiosk(persoA);
    const elsewhere = await client.command({
      transactionId: kiosk.transactionId,
      terminalId: 'S0099-T01',
      challenge: Buffer.alloc(8).toString('base64'),
      newSigningPin: 'NEWPIN2026',
    });
    expect(elsewhere.ok).toBe(false);
  });
});

describe('the card removed, the centre gone: the card keeps one PIN, and the resident is told which', () => {
  it('card removed before the command reached it: the old PIN stays', async () => {
    const kiosk = await atKiosk(persoA);
    const { password } = await grantFor(persoA, 'H0007');
    kiosk.reader.removeAfterCommands(1); // the challenge is answered, then the card leaves
    const { result, authority } = await resetAt(kiosk, { oneTimePassword: password, newPin: 'LOST2026' });
    expect(result.kind).toBe('card-removed');
    expect(unconfirmedOutcome(authority.relayedAnswer())).toBe('unknown');
    await authority.settle(result);
    kiosk.reader.insert(kiosk.card);
    const session = await kiosk.reader.connect();
    if (isCardError(session)) throw new Error(session.kind);
    open.push({ reader: new InProcessCardReader(), session });
    const jpki = new JpkiClient(session.transport);
    expect(await signingPinWorks(jpki, 'LOST2026')).toBe(false);
    // The grant was only reserved, and given back: the same password works in the next transaction.
    const again = await atKiosk(persoA);
    expect((await resetAt(again, { oneTimePassword: password, newPin: 'BACK2026' })).result).toEqual({
      kind: 'reset-done',
    });
    expect(await signingPinWorks(again.jpki, 'BACK2026')).toBe(true);
  });

  it('a card that refuses the command (no reset key): the centre releases the grant', async () => {
    const keyless = await testCard({ holderId: 'H0002', pinResetMasterKey: undefined });
    const lines: string[] = [];
    const third = await centreWith([{ holderId: 'H0002', perso: keyless }], 'password', lines);
    const thirdClient = createPinResetCentre({ baseUrl: third.url });
    try {
      const kiosk = await atKiosk(keyless, third.url);
      const cardBinding = bindingOf(keyless.authCertificate);
      const { password } = await grantFor(keyless, 'H0002', { centre: third });
      const { result } = await resetAt(kiosk, {
        oneTimePassword: password,
        newPin: 'NOKEY2026',
        centre: thirdClient,
      });
      expect(result).toEqual({ kind: 'not-authorised', sw: 0x6985 });
      const next = await third.centre.oneTimePasswords.reserve(
        { cardBinding, transactionId: randomUUID(), password },
        NOW,
      );
      expect(next.kind).toBe('granted');
      expect(lines.join('')).toContain('"grant":"released"');
    } finally {
      await thirdClient.close();
      await third.close();
    }
  });

  it('centre unreachable between relay and confirmation: the card’s own answer says the new PIN is set, and it is', async () => {
    const lines: string[] = [];
    const second = await centreWith([{ holderId: 'H0001', perso: persoB }], 'bound-card', lines);
    const secondClient = createPinResetCentre({ baseUrl: second.url, timeoutMs: 2_000 });
    try {
      const kiosk = await atKiosk(persoB, second.url);
      await grantFor(persoB, 'H0001', { centre: second, mode: 'bound-card' });
      const gone: PinResetCentre = {
        authenticate: (r) => secondClient.authenticate(r),
        command: (r) => secondClient.command(r),
        // The centre stops after building the command, before the kiosk asks it to read the answer.
        confirm: async (r) => {
          await second.close();
          return secondClient.confirm(r);
        },
        start: (r) => secondClient.start(r),
        release: (r) => secondClient.release(r),
        close: async () => undefined,
      };
      // The live service's mode: no password typed, the card alone redeems its grant.
      const { result, authority } = await resetAt(kiosk, { newPin: 'BOUND2026', centre: gone });
      expect(result.kind).toBe('centre-unreachable');
      expect(unconfirmedOutcome(authority.relayedAnswer())).toBe('new-pin');
      expect(await signingPinWorks(kiosk.jpki, 'BOUND2026')).toBe(true);
    } finally {
      await secondClient.close();
      await second.close().catch(() => undefined);
    }
  });
});
