/**
 * The kiosk's real card path: JpkiClient → PcscCardReader → pcsclite → pcscd → vpcd → the
 * virtual My Number Card over TCP. Starts pcscd if it is not running, stops what it started.
 */
import { createHash, verify, X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardSession } from '../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../native/jpki/jpki-client.ts';
import type { ApduTrace } from '../../native/jpki/jpki-client.ts';
import { sha256DigestInfo } from '../../native/jpki/jpki-files.ts';
import { PcscCardReader } from '../../native/pcsc/pcsc-card-reader.ts';
import { testCard } from '../../native/test-pki/fixtures.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import type { VpcdEvent } from '../../native/virtual-card/vpcd-connection.ts';
import { ensurePcscd } from '../support/pcscd.ts';
import type { PcscdHandle } from '../support/pcscd.ts';
import { waitForReaderStatus } from '../../native/card-transport.ts';

const VPCD_READER = 'Virtual PCD 00 00'; // the vpcd slot on TCP 35963

let pcscd: PcscdHandle;
let reader: PcscCardReader;
let perso: CardPersonalisation;
let card: VirtualMyNumberCard;
let vpcd: VpcdConnection;
let stateDir: string;
const events: VpcdEvent[] = [];

const pin = (s: string): Uint8Array => pinFromDigits([...s].map(Number));

async function connect(): Promise<CardSession> {
  const s = await reader.connect({ timeoutMs: 10_000 });
  if (!('transport' in s)) throw new Error(`connect failed: ${JSON.stringify(s)}`);
  return s;
}

beforeAll(async () => {
  pcscd = await ensurePcscd();
  stateDir = mkdtempSync(join(tmpdir(), 'card-pcsc-'));
  perso = await testCard({ holderId: 'pcsc-integration' });
  card = new VirtualMyNumberCard({ personalisation: perso, stateStore: new CardStateStore(stateDir) });
  reader = new PcscCardReader({ readerName: VPCD_READER });
  await waitForReaderStatus(reader, (s) => s.kind === 'ready');
  vpcd = new VpcdConnection(card, { onEvent: (e) => events.push(e) });
});

afterAll(async () => {
  await vpcd?.close();
  await reader?.close();
  await pcscd?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('JPKI over pcscd + vpcd', () => {
  it('sees the virtual card arrive on the reader', async () => {
    expect(await vpcd.insert({ timeoutMs: 5000 })).toEqual({ kind: 'inserted' });
    const s = await waitForReaderStatus(reader, (st) => st.kind === 'ready' && st.cardPresent);
    expect(s).toEqual({ kind: 'ready', reader: VPCD_READER, cardPresent: true });
  });

  it('verifies the PIN, signs and reads the certificate through PC/SC; reports APDU count and time', async () => {
    const session = await connect();
    try {
      expect(Buffer.from(session.atr).toString('hex')).toBe('3be000ff8131fe4514');
      const trace: ApduTrace[] = [];
      const client = new JpkiClient(session.transport, { onApdu: (t) => trace.push(t) });
      expect(await client.authPinTriesLeft()).toEqual({ kind: 'tries-left', triesLeft: 3 });
      expect(await client.verifyAuthPin(pin('0000'))).toEqual({ kind: 'wrong', triesLeft: 2 });
      trace.length = 0;

      const challenge = createHash('sha256').update('integration challenge').digest();
      const started = performance.now();
      const result = await client.authenticate({ pin: pin('1234'), digestInfo: sha256DigestInfo(challenge) });
      const elapsed = performance.now() - started;
      expect(result.kind).toBe('authenticated');
      if (result.kind !== 'authenticated') return;

      expect(Buffer.from(result.certificate).equals(Buffer.from(perso.authCertificate))).toBe(true);
      const key = new X509Certificate(Buffer.from(result.certificate)).publicKey;
      expect(verify('sha256', Buffer.from('integration challenge'), key, result.signature)).toBe(true);
      // a right PIN restores the counter
      expect(card.triesLeft('auth')).toBe(3);

      const certReads = Math.ceil(perso.authCertificate.length / 256);
      // token check (2) + SELECT 0018 + VERIFY + SELECT 0017 + SIGN + SELECT 000A + reads (AP already selected)
      expect(trace.length).toBe(2 + 4 + 1 + certReads);
      const bytes = perso.authCertificate.length + 256 + 32;
      console.log(
        `[card-pcsc] authentication through pcscd: ${trace.length} APDUs, ${elapsed.toFixed(0)} ms ` +
          `(${(elapsed / trace.length).toFixed(1)} ms/APDU; certificate ${perso.authCertificate.length} B, ~${bytes} B in)`,
      );
      for (const t of trace)
        console.log(`[card-pcsc]   ${t.command.padEnd(28)} ${t.sw?.toString(16)} ${t.ms.toFixed(1)} ms`);
    } finally {
      await session.close();
    }
    // SCARD_UNPOWER_CARD reached the card: verified state is gone
    await waitFor(() => !card.powered);
    expect(events.some((e) => e.kind === 'power-off')).toBe(true);
  });

  it('starts a fresh security context in the next session', async () => {
    const session = await connect();
    try {
      const client = new JpkiClient(session.transport);
      expect(await client.authPinTriesLeft()).toEqual({ kind: 'tries-left', triesLeft: 3 });
      const signed = await client.signWithAuthKey(
        sha256DigestInfo(createHash('sha256').update('x').digest()),
      );
      expect(signed).toEqual({ kind: 'pin-required' });
    } finally {
      await session.close();
    }
  });

  it('measures the kiosk flow: card check and certificate while the PIN is typed, then 3 APDUs', async () => {
    const session = await connect();
    try {
      const trace: ApduTrace[] = [];
      const client = new JpkiClient(session.transport, { onApdu: (t) => trace.push(t) });
      const t0 = performance.now();
      expect(await client.checkCard()).toEqual({ kind: 'ok' });
      expect((await client.readAuthCertificate()).kind).toBe('certificate');
      expect(await client.authPinTriesLeft()).toEqual({ kind: 'tries-left', triesLeft: 3 });
      const beforePin = trace.length;
      const t1 = performance.now();
      const digestInfo = sha256DigestInfo(createHash('sha256').update('flow').digest());
      const result = await client.authenticate({ pin: pin('1234'), digestInfo });
      const t2 = performance.now();
      expect(result.kind).toBe('authenticated');
      // EF 0018 is still selected from the tries-left query: VERIFY, SELECT 0017, SIGN
      expect(trace.slice(beforePin).map((t) => t.command)).toEqual([
        'VERIFY',
        'SELECT EF 0017',
        'COMPUTE DIGITAL SIGNATURE',
      ]);
      console.log(
        `[card-pcsc] kiosk flow: ${beforePin} APDUs before the PIN (${(t1 - t0).toFixed(0)} ms, while typing), ` +
          `${trace.length - beforePin} APDUs after it (${(t2 - t1).toFixed(0)} ms)`,
      );
    } finally {
      await session.close();
    }
  });

  it("is listed by OpenSC's pkcs15-tool: the auth certificate, read back byte for byte", async () => {
    if (!existsSync('/usr/bin/pkcs15-tool')) {
      throw new Error('OpenSC is missing: install the Debian package "opensc"');
    }
    const { stdout } = await promisify(execFile)('pkcs15-tool', ['--list-certificates'], { timeout: 30_000 });
    expect(stdout).toMatch(/User Authentication Certificate/i);
    const { stdout: pem } = await promisify(execFile)('pkcs15-tool', ['--read-certificate', '01'], {
      timeout: 30_000,
    });
    expect(new X509Certificate(pem).raw.equals(Buffer.from(perso.authCertificate))).toBe(true);
    // pcscd keeps the card powered ~1 s after OpenSC leaves; let it go before the next client
    await new Promise((r) => setTimeout(r, 1500));
  });

  it("is accepted by OpenSC's jpki driver as a second client: pkcs11-tool signs with the auth key", async () => {
    const module = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
    if (!existsSync('/usr/bin/pkcs11-tool') || !existsSync(module)) {
      throw new Error('OpenSC is missing: install the Debian packages "opensc" and "opensc-pkcs11"');
    }
    const dir = mkdtempSync(join(tmpdir(), 'opensc-'));
    writeFileSync(join(dir, 'data'), 'signed by OpenSC');
    // async: the card answers from this process's event loop
    await promisify(execFile)(
      'pkcs11-tool',
      [
        '--module',
        module,
        '--slot-index',
        '0',
        '--login',
        '--pin',
        '1234',
        '--sign',
        '-m',
        'SHA256-RSA-PKCS',
        '--id',
        '01',
        '-i',
        join(dir, 'data'),
        '-o',
        join(dir, 'sig'),
      ],
      { timeout: 30_000 },
    );
    const key = new X509Certificate(Buffer.from(perso.authCertificate)).publicKey;
    expect(verify('sha256', Buffer.from('signed by OpenSC'), key, readFileSync(join(dir, 'sig')))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports card-removed mid-session and then no card on the reader', async () => {
    const session = await connect();
    const client = new JpkiClient(session.transport);
    expect(await client.selectJpkiAp()).toEqual({ kind: 'ok' });
    await vpcd.close();
    await waitForReaderStatus(reader, (s) => s.kind === 'ready' && !s.cardPresent);
    const after = await client.readAuthCertificate();
    expect(after).toEqual({ kind: 'card-removed' });
    await session.close();
    expect(reader.status()).toEqual({ kind: 'ready', reader: VPCD_READER, cardPresent: false });
  });

  it('times out waiting for a card that is not there', async () => {
    expect(await reader.connect({ timeoutMs: 300 })).toEqual({ kind: 'timeout', operation: 'connect' });
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
