/**
 * Card faults through the real PC/SC path (pcscd + vpcd): extended-length reads, the card pulled
 * between any two commands of the authentication, and pcscd restarted mid-session. Each ends in
 * a typed error within a bounded time, with no PIN try spent. Run under the vpcd lock:
 *   flock /tmp/vpcd.lock npx vitest run --project integration tests/integration/card-faults.test.ts
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCardError } from '../../native/card-transport.ts';
import type { CardSession, ReaderStatus } from '../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../native/jpki/jpki-client.ts';
import type { ReadMode } from '../../native/jpki/jpki-client.ts';
import { sha256DigestInfo } from '../../native/jpki/jpki-files.ts';
import { PcscCardReader } from '../../native/pcsc/pcsc-card-reader.ts';
import { testCard } from '../../native/test-pki/fixtures.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import { isListening, SYSTEM_PATHS, VPCD_PORT } from '../../scripts/system/services.ts';
import { ensurePcscd } from '../support/pcscd.ts';
import type { PcscdHandle } from '../support/pcscd.ts';
import { waitForReaderStatus } from '../../native/card-transport.ts';

const VPCD_READER = 'Virtual PCD 00 00';

let pcscd: PcscdHandle;
let reader: PcscCardReader;
let perso: CardPersonalisation;
let card: VirtualMyNumberCard;
let vpcd: VpcdConnection;
let stateDir: string;

const digestInfo = (): Uint8Array => sha256DigestInfo(createHash('sha256').update('faults').digest());

const present = (s: ReaderStatus): boolean => s.kind === 'ready' && s.cardPresent;

async function insertAndConnect(): Promise<CardSession> {
  expect(await vpcd.insert({ timeoutMs: 10_000 })).toEqual({ kind: 'inserted' });
  await waitForReaderStatus(reader, present);
  const s = await reader.connect({ timeoutMs: 10_000 });
  if (!('transport' in s)) throw new Error(`connect: ${JSON.stringify(s)}`);
  return s;
}

/** The kiosk's order: card check, certificate, tries (while the PIN is typed), then authenticate. */
async function kioskFlow(client: JpkiClient): Promise<{ kind: string }> {
  const checked = await client.checkCard();
  if (checked.kind !== 'ok') return checked;
  const cert = await client.readAuthCertificate();
  if (cert.kind !== 'certificate') return cert;
  const tries = await client.authPinTriesLeft();
  if (isCardError(tries)) return tries;
  return client.authenticate({ pin: pinFromDigits([1, 2, 3, 4]), digestInfo: digestInfo() });
}

beforeAll(async () => {
  pcscd = await ensurePcscd();
  stateDir = mkdtempSync(join(tmpdir(), 'card-faults-'));
  perso = await testCard({ holderId: 'pcsc-faults' });
  card = new VirtualMyNumberCard({ personalisation: perso, stateStore: new CardStateStore(stateDir) });
  reader = new PcscCardReader({ readerName: VPCD_READER, serviceRetryMs: 200 });
  await waitForReaderStatus(reader, (s) => s.kind === 'ready');
  vpcd = new VpcdConnection(card);
});

afterAll(async () => {
  await vpcd?.close();
  await reader?.close();
  await pcscd?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('extended-length reads through pcscd', () => {
  it('authenticates in at most 10 APDUs with the certificate in one READ BINARY', async () => {
    const session = await insertAndConnect();
    try {
      const commands: string[] = [];
      const client = new JpkiClient(session.transport, {
        readMode: 'extended',
        onApdu: (t) => commands.push(t.command),
      });
      const result = await client.authenticate({
        pin: pinFromDigits([1, 2, 3, 4]),
        digestInfo: digestInfo(),
      });
      expect(result.kind).toBe('authenticated');
      if (result.kind === 'authenticated')
        expect(Buffer.from(result.certificate).equals(Buffer.from(perso.authCertificate))).toBe(true);
      expect(client.readMode).toBe('extended');
      expect(commands.length).toBeLessThanOrEqual(10);
      expect(commands).toContain('READ BINARY (extended)');
    } finally {
      await session.close();
      await vpcd.remove();
      await waitForReaderStatus(reader, (s) => s.kind === 'ready' && !s.cardPresent);
    }
  });
});

describe.each<ReadMode>(['short', 'extended'])(
  'card pulled between any two commands through vpcd (%s)',
  (readMode) => {
    it('ends each position in card-removed, quickly, without spending a PIN try', async () => {
      const whole = await insertAndConnect();
      const full = new JpkiClient(whole.transport, { readMode });
      expect((await kioskFlow(full)).kind).toBe('authenticated');
      await whole.close();
      await vpcd.remove();
      await waitForReaderStatus(reader, (s) => s.kind === 'ready' && !s.cardPresent);
      const total = full.apduCount;

      for (let n = 1; n < total; n++) {
        const session = await insertAndConnect();
        vpcd.removeAfterCommands(n);
        const result = await kioskFlow(new JpkiClient(session.transport, { readMode }));
        await session.close();
        await vpcd.remove(); // whatever happened, the card is off the reader before the next round
        await waitForReaderStatus(reader, (s) => s.kind === 'ready' && !s.cardPresent);
        expect(result, `pulled after ${n} of ${total}`).toEqual({ kind: 'card-removed' });
        expect(card.triesLeft('auth')).toBe(3);
      }
    });
  },
);

async function pcscdPids(): Promise<number[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) =>
    execFile('pidof', ['pcscd'], (err, out) =>
      resolve(
        err
          ? []
          : out
              .trim()
              .split(/\s+/)
              .map(Number)
              .filter((p) => p > 0),
      ),
    ),
  );
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

describe('pcscd restarted mid-session', () => {
  it('fails the session with a typed error, reports service-down, and works again once pcscd is back', async () => {
    const session = await insertAndConnect();
    const client = new JpkiClient(session.transport);
    expect(await client.checkCard()).toEqual({ kind: 'ok' });
    const pids = await pcscdPids();
    expect(pids.length).toBeGreaterThan(0);
    try {
      for (const pid of pids) process.kill(pid, 'SIGTERM');
      expect(await waitUntil(async () => (await pcscdPids()).length === 0, 10_000)).toBe(true);
      const after = await client.readAuthCertificate();
      expect(['service-down', 'communication', 'card-removed']).toContain(after.kind);
      await waitForReaderStatus(reader, (s) => s.kind === 'service-down' || s.kind === 'no-reader');
      await session.close();
    } finally {
      // pcscd back as a daemon (it outlives this test file, like the system service it is)
      if ((await pcscdPids()).length === 0) {
        spawn(SYSTEM_PATHS.pcscd.path, [], { detached: true, stdio: 'ignore' }).unref();
      }
      expect(await waitUntil(() => isListening(VPCD_PORT), 15_000)).toBe(true);
    }
    await waitForReaderStatus(reader, (s) => s.kind === 'ready', 15_000);
    // the virtual card dials vpcd again by itself; the next resident's session works
    const again = await insertAndConnect();
    try {
      const result = await new JpkiClient(again.transport).authenticate({
        pin: pinFromDigits([1, 2, 3, 4]),
        digestInfo: digestInfo(),
      });
      expect(result.kind).toBe('authenticated');
    } finally {
      await again.close();
    }
    expect(card.triesLeft('auth')).toBe(3);
  });
});
