/**
 * The centre over HTTPS with mutual TLS, with JPKI revocation by the test OCSP responder (CRL
 * fallback), driven by the kiosk's own centre client. No card goes on vpcd here: the card's
 * signature is made from the world's card file, so no vpcd lock is needed.
 */
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createCentreClient, type CentreClient } from '../../electron/host/centre-client.ts';
import { certificateDer } from '../../native/test-pki/test-jpki-ca.ts';
import { startOcspResponder, type RunningOcspResponder } from '../../native/test-pki/ocsp-responder.ts';
import { CrlReason } from '../../native/test-pki/crl.ts';
import { isPersonalisationError, loadPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { authenticationMessage } from '../../protocol/auth-message.ts';
import { startCentre } from '../../server/centre.ts';
import { sha256Hex } from '../../server/auth/trustStore.ts';
import { loadSeedWorld } from '../../server/seed/index.ts';
import { demoOpeningHoursClock } from '../../scripts/dev/clock.ts';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import { liveResponderPolicy } from '../../scripts/dev/revocation.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard, type DevWorld } from '../../scripts/dev/world.ts';

const DAY_MS = 86_400_000;
let dir: string;
let world: DevWorld;
let pki: DevPki;
let rogue: DevPki;
let ocsp: RunningOcspResponder;
let centre: Awaited<ReturnType<typeof startCentre>>;
const clients: CentreClient[] = [];

function clientFor(credentials: { certificatePem: string; privateKeyPem: string } | undefined): CentreClient {
  const client = createCentreClient({
    baseUrl: centre.url,
    timeoutMs: 10_000,
    ...(credentials
      ? {
          tls: {
            certificatePem: credentials.certificatePem,
            privateKeyPem: credentials.privateKeyPem,
            caPem: pki.caPem,
          },
        }
      : {}),
  });
  clients.push(client);
  return client;
}

const terminal = (id: string) => {
  const credentials = pki.terminals.get(id);
  if (!credentials) throw new Error(`no terminal ${id}`);
  return credentials;
};

/** A resident in the given register status whose card is valid, and their card file. */
async function cardOf(status: 'resident' | 'moved-out') {
  const residents = loadSeedWorld().residents;
  const entry = world.manifest.registry.find((e) =>
    residents.some((r) => r.holderId === e.holderId && r.status === status && r.card.condition === 'valid'),
  );
  if (!entry) throw new Error(`the world has no valid card of a ${status} resident`);
  const opened = await openVirtualCard(world, entry.holderId); // makes the card file on first use
  if ('kind' in opened) throw new Error(`card: ${opened.kind}`);
  const card = await loadPersonalisation(join(world.dir, 'cards', `${entry.holderId}.json`));
  if (isPersonalisationError(card))
    throw new Error(`card file: ${card.kind} ${'detail' in card ? String(card.detail) : ''}`);
  return { entry, card, ca: world.cas.get(entry.generation)! };
}

async function authenticate(
  client: CentreClient,
  terminalId: string,
  status: 'resident' | 'moved-out' = 'resident',
) {
  const { card } = await cardOf(status);
  const transactionId = randomUUID();
  const challenge = await client.challenge({ transactionId, terminalId });
  if (!challenge.ok) return challenge;
  const key = createPrivateKey({ key: Buffer.from(card.authPrivateKeyPkcs8), format: 'der', type: 'pkcs8' });
  return client.authenticate({
    transactionId,
    terminalId,
    challenge: challenge.value.challenge,
    certificate: Buffer.from(card.authCertificate).toString('base64'),
    signature: sign(
      'sha256',
      authenticationMessage(terminalId, Buffer.from(challenge.value.challenge, 'base64')),
      key,
    ).toString('base64'),
    signatureAlgorithm: 'RS256',
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'centre-tls-'));
  world = await ensureDevWorld(inject('worldDir'));
  const now = Date.now();
  [pki, rogue] = await Promise.all([
    createDevPki({
      outDir: join(dir, 'pki'),
      terminals: [
        { terminalId: 'S0001-T01' },
        { terminalId: 'S0001-T02', revoked: true },
        {
          terminalId: 'S0001-T03',
          notBefore: new Date(now - 400 * DAY_MS),
          notAfter: new Date(now - DAY_MS),
        },
        { terminalId: 'S0001-T04', storeCode: 'S0002' },
      ],
    }),
    createDevPki({
      outDir: join(dir, 'rogue'),
      terminals: [{ terminalId: 'S0001-T01' }],
      caName: 'Dev Terminal CA',
    }),
  ]);
  const clock = demoOpeningHoursClock();
  ocsp = await startOcspResponder({
    issuers: [...world.cas.values()].map((ca) => ({ authority: ca.auth })),
  });
  for (const revoked of world.manifest.revoked)
    ocsp.responder.revoke(world.cas.get(revoked.generation)!.auth, revoked.serialNumberHex);
  centre = await startCentre({
    ...centreOptionsFor(world),
    databasePath: ':memory:',
    openingHoursNow: clock.openingHoursNow,
    logger: false,
    tls: {
      certificatePem: pki.server.certificatePem,
      privateKeyPem: pki.server.privateKeyPem,
      terminalCaPem: pki.caPem,
      terminalCrlPem: pki.crlPem,
    },
    revocation: liveResponderPolicy(ocsp),
  });
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await centre?.close();
  await ocsp?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  ocsp.responder.fault = 'none';
});

describe('centre over mutual TLS', () => {
  it('serves https and authenticates a card from a known terminal (OCSP good)', async () => {
    expect(centre.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const before = ocsp.requests.ocsp;
    const result = await authenticate(clientFor(terminal('S0001-T01')), 'S0001-T01');
    expect(result).toMatchObject({ ok: true, value: { menu: expect.any(Array) } });
    expect(ocsp.requests.ocsp).toBe(before + 1);
  });

  it('refuses a request whose terminal id is not the certificate’s (terminal-unknown)', async () => {
    const result = await clientFor(terminal('S0001-T01')).challenge({
      transactionId: randomUUID(),
      terminalId: 'S0001-T09',
    });
    expect(result).toEqual({
      ok: false,
      failure: { kind: 'centre-error', code: 'terminal-unknown', status: 403 },
    });
  });

  it('refuses a certificate whose store code does not own its terminal id', async () => {
    const result = await clientFor(terminal('S0001-T04')).challenge({
      transactionId: randomUUID(),
      terminalId: 'S0001-T04',
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'centre-error', code: 'terminal-unknown' } });
  });

  it.each([
    ['revoked (on the terminal CA CRL)', 'S0001-T02'],
    ['expired', 'S0001-T03'],
    ['from another CA with the same name', 'rogue'],
    ['without any client certificate', 'none'],
  ] as const)('refuses a terminal %s at the TLS handshake', async (_name, which) => {
    const credentials =
      which === 'rogue'
        ? rogue.terminals.get('S0001-T01')!
        : which === 'none'
          ? { certificatePem: '', privateKeyPem: '' }
          : terminal(which);
    const client = clientFor(credentials);
    const result = await client.challenge({
      transactionId: randomUUID(),
      terminalId: which.startsWith('S') ? which : 'S0001-T01',
    });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'centre-unreachable' } });
  });

  it('a kiosk refuses a centre whose certificate it does not trust', async () => {
    const client = createCentreClient({
      baseUrl: centre.url,
      tls: { ...terminal('S0001-T01'), caPem: rogue.caPem },
    });
    clients.push(client);
    expect(await client.challenge({ transactionId: randomUUID(), terminalId: 'S0001-T01' })).toMatchObject({
      ok: false,
      failure: { kind: 'centre-unreachable' },
    });
  });

  it('refuses a card OCSP says is revoked; a moved-out holder gets resident-moved-out', async () => {
    const client = clientFor(terminal('S0001-T01'));
    const { entry, ca } = await cardOf('resident');
    ocsp.responder.revoke(ca.auth, entry.serialNumberHex, CrlReason.keyCompromise);
    try {
      expect(await authenticate(client, 'S0001-T01')).toMatchObject({
        ok: false,
        failure: { code: 'certificate-revoked', status: 401 },
      });
    } finally {
      ocsp.responder.setStatus(ca.auth, entry.serialNumberHex, { status: 'good' });
    }
    const movedOut = await cardOf('moved-out');
    ocsp.responder.revoke(movedOut.ca.auth, movedOut.entry.serialNumberHex, CrlReason.affiliationChanged);
    expect(await authenticate(client, 'S0001-T01', 'moved-out')).toMatchObject({
      ok: false,
      failure: { code: 'resident-moved-out' },
    });
  });

  it('falls back to the CRL when OCSP is down, and refuses when the CRL lists the card', async () => {
    const client = clientFor(terminal('S0001-T01'));
    ocsp.responder.fault = 'http-500';
    const crlBefore = ocsp.requests.crl;
    expect(await authenticate(client, 'S0001-T01')).toMatchObject({ ok: true });
    expect(ocsp.requests.crl).toBe(crlBefore + 1);
    // The checked CRL is cached until its nextUpdate: a new revocation shows up through OCSP.
    ocsp.responder.fault = 'none';
    const { entry, ca } = await cardOf('resident');
    ocsp.responder.revoke(ca.auth, entry.serialNumberHex);
    try {
      expect(await authenticate(client, 'S0001-T01')).toMatchObject({
        ok: false,
        failure: { code: 'certificate-revoked' },
      });
    } finally {
      ocsp.responder.setStatus(ca.auth, entry.serialNumberHex, { status: 'good' });
    }
  });

  it('refuses a stale OCSP answer instead of falling back', async () => {
    ocsp.responder.fault = 'stale';
    expect(await authenticate(clientFor(terminal('S0001-T01')), 'S0001-T01')).toMatchObject({
      ok: false,
      failure: { code: 'certificate-untrusted' },
    });
  });

  it('keeps world CA fingerprints distinct (CRL per generation)', () => {
    const fingerprints = [...world.cas.values()].map((ca) => sha256Hex(certificateDer(ca.auth)));
    expect(new Set(fingerprints).size).toBe(world.cas.size);
  });
});
