/**
 * Card benchmark: APDUs, bytes on the wire and time for the kiosk's authentication through the
 * real PC/SC path (JpkiClient → pcsclite → pcscd → vpcd → virtual card), short and extended
 * reads, next to OpenSC's `pkcs11-tool` signing with the auth key on the same virtual card.
 *
 * Holds the machine-wide vpcd lock (`flock /tmp/vpcd.lock`) while it runs, unless the caller
 * already holds it and says so with KIOSK_VPCD_LOCK_HELD=1. Starts pcscd when it is not running
 * and stops only what it started.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeServiceError, startPcscd } from '../../system/services.ts';
import { isCardError } from '../../../native/card-transport.ts';
import { JpkiClient, pinFromDigits } from '../../../native/jpki/jpki-client.ts';
import type { ReadMode } from '../../../native/jpki/jpki-client.ts';
import { sha256DigestInfo } from '../../../native/jpki/jpki-files.ts';
import { PcscCardReader } from '../../../native/pcsc/pcsc-card-reader.ts';
import { testCard } from '../../../native/test-pki/fixtures.ts';
import { VirtualMyNumberCard } from '../../../native/virtual-card/virtual-my-number-card.ts';
import { VpcdConnection } from '../../../native/virtual-card/vpcd-connection.ts';
import { waitForReaderStatus } from '../../../native/card-transport.ts';
import { ratio, type BenchComparison, type BenchReport } from '../report.ts';

const VPCD_READER = 'Virtual PCD 00 00';
const LOCK_FILE = '/tmp/vpcd.lock';
const OPENSC_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
const RUNS = 5;

interface Wire {
  apdus: number;
  bytes: number;
}

interface Sample extends Wire {
  ms: number;
  /** APDUs and time after the PIN was entered (the part the resident waits for). */
  afterPinApdus: number;
  afterPinMs: number;
}

/** Takes the vpcd lock through flock(1); resolves with its release. */
async function takeVpcdLock(): Promise<() => Promise<void>> {
  if (process.env.KIOSK_VPCD_LOCK_HELD === '1') return async () => undefined;
  const child: ChildProcessWithoutNullStreams = spawn('flock', [
    '-w',
    '300',
    LOCK_FILE,
    'sh',
    '-c',
    'echo locked; exec cat',
  ]);
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`flock ${LOCK_FILE} ended (${code}) before taking the lock`)),
    );
    child.stdout.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  return async () => {
    const ended = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdin.end();
    await ended;
  };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<BenchReport> {
  const release = await takeVpcdLock();
  const pcscd = await startPcscd();
  if (!pcscd.ok) {
    await release();
    throw new Error(`card bench needs pcscd + vpcd: ${describeServiceError(pcscd.error)}`);
  }
  const wire: Wire = { apdus: 0, bytes: 0 };
  const perso = await testCard({ holderId: 'card-bench' });
  const card = new VirtualMyNumberCard({ personalisation: perso });
  const vpcd = new VpcdConnection(card, {
    onEvent: (e) => {
      if (e.kind !== 'apdu') return;
      wire.apdus += 1;
      wire.bytes += e.commandBytes + e.responseBytes;
    },
  });
  const reader = new PcscCardReader({ readerName: VPCD_READER });
  const work = mkdtempSync(join(tmpdir(), 'card-bench-'));
  try {
    await waitForReaderStatus(reader, (s) => s.kind === 'ready');
    const inserted = await vpcd.insert({ timeoutMs: 10_000 });
    if (inserted.kind !== 'inserted') throw new Error(`vpcd: ${inserted.detail}`);
    await waitForReaderStatus(reader, (s) => s.kind === 'ready' && s.cardPresent);

    const kiosk = async (readMode: ReadMode): Promise<Sample> => {
      const session = await reader.connect({ timeoutMs: 10_000 });
      if (!('transport' in session)) throw new Error(`connect: ${session.kind}`);
      try {
        const start = { ...wire };
        const t0 = performance.now();
        const client = new JpkiClient(session.transport, { readMode });
        const checked = await client.checkCard();
        if (checked.kind !== 'ok') throw new Error(`card check: ${checked.kind}`);
        const cert = await client.readAuthCertificate();
        if (cert.kind !== 'certificate') throw new Error(`certificate: ${cert.kind}`);
        const tries = await client.authPinTriesLeft();
        if (isCardError(tries)) throw new Error(`tries: ${tries.kind}`);
        const beforePin = wire.apdus;
        const t1 = performance.now();
        const digestInfo = sha256DigestInfo(createHash('sha256').update('bench').digest());
        const result = await client.authenticate({ pin: pinFromDigits([1, 2, 3, 4]), digestInfo });
        if (result.kind !== 'authenticated') throw new Error(`authenticate: ${result.kind}`);
        const t2 = performance.now();
        return {
          apdus: wire.apdus - start.apdus,
          bytes: wire.bytes - start.bytes,
          ms: t2 - t0,
          afterPinApdus: wire.apdus - beforePin,
          afterPinMs: t2 - t1,
        };
      } finally {
        await session.close();
      }
    };

    /** A fresh client on a fresh session, everything after the PIN (no read while typing). */
    const coldAuthenticate = async (readMode: ReadMode): Promise<Sample> => {
      const session = await reader.connect({ timeoutMs: 10_000 });
      if (!('transport' in session)) throw new Error(`connect: ${session.kind}`);
      try {
        const start = { ...wire };
        const t0 = performance.now();
        const digestInfo = sha256DigestInfo(createHash('sha256').update('bench').digest());
        const result = await new JpkiClient(session.transport, { readMode }).authenticate({
          pin: pinFromDigits([1, 2, 3, 4]),
          digestInfo,
        });
        if (result.kind !== 'authenticated') throw new Error(`authenticate: ${result.kind}`);
        const ms = performance.now() - t0;
        const apdus = wire.apdus - start.apdus;
        return { apdus, bytes: wire.bytes - start.bytes, ms, afterPinApdus: apdus, afterPinMs: ms };
      } finally {
        await session.close();
      }
    };

    const haveOpenSc = existsSync('/usr/bin/pkcs11-tool') && existsSync(OPENSC_MODULE);
    const openSc = async (): Promise<Sample> => {
      writeFileSync(join(work, 'data'), 'bench');
      const start = { ...wire };
      const t0 = performance.now();
      await promisify(execFile)(
        'pkcs11-tool',
        [
          '--module',
          OPENSC_MODULE,
          '--slot-index',
          '0',
          '--login',
          '--pin',
          '1234',
          '--sign',
          '-m',
          'SHA256-RSA-PKCS',
        ].concat(['--id', '01', '-i', join(work, 'data'), '-o', join(work, 'sig')]),
        { timeout: 30_000 },
      );
      const ms = performance.now() - t0;
      // pcscd keeps the card powered ~1 s after OpenSC leaves: let it go before the next run
      await new Promise((r) => setTimeout(r, 1500));
      const apdus = wire.apdus - start.apdus;
      return { apdus, bytes: wire.bytes - start.bytes, ms, afterPinApdus: apdus, afterPinMs: ms };
    };

    const measure = async (
      name: string,
      fn: () => Promise<Sample>,
    ): Promise<Record<string, string | number>> => {
      const samples: Sample[] = [];
      for (let i = 0; i < RUNS; i++) samples.push(await fn());
      return {
        flow: name,
        runs: RUNS,
        APDUs: median(samples.map((s) => s.apdus)),
        bytes: median(samples.map((s) => s.bytes)),
        'median ms': median(samples.map((s) => s.ms)),
        'APDUs after PIN': median(samples.map((s) => s.afterPinApdus)),
        'ms after PIN': median(samples.map((s) => s.afterPinMs)),
      };
    };

    const rows = [
      await measure('kiosk, short reads (cert while typing)', () => kiosk('short')),
      await measure('kiosk, extended read (cert while typing)', () => kiosk('extended')),
      await measure('kiosk authenticate cold, short reads', () => coldAuthenticate('short')),
      await measure('kiosk authenticate cold, extended read', () => coldAuthenticate('extended')),
    ];
    const notes = [
      `through pcscd + vpcd on this machine; auth certificate ${perso.authCertificate.length} B; bytes = command + response incl. SW`,
      '"cold" = one authenticate() on a fresh session: SELECT AP, token check, VERIFY, SIGN, certificate',
    ];
    if (haveOpenSc) {
      rows.push(await measure('OpenSC pkcs11-tool --sign (auth key)', openSc));
      notes.push(
        'pkcs11-tool: whole process (start, ~35 AID probes, both PIN statuses, login, sign), as OpenSC does it',
      );
    } else {
      notes.push('OpenSC missing (Debian opensc + opensc-pkcs11): no pkcs11-tool row');
    }
    return {
      title: 'Card: authentication through pcscd (vpcd virtual card)',
      rows,
      notes,
      comparisons: cardComparisons(rows),
    };
  } finally {
    await vpcd.close();
    await reader.close();
    await pcscd.value.stop();
    rmSync(work, { recursive: true, force: true });
    await release();
  }
}

/** The summary's card lines: the kiosk's authentication beside OpenSC's signature, from the rows above. */
export function cardComparisons(rows: ReadonlyArray<Record<string, string | number>>): BenchComparison[] {
  const kiosk = rows.find((r) => String(r.flow).startsWith('kiosk, short reads'));
  const openSc = rows.find((r) => String(r.flow).startsWith('OpenSC'));
  if (!kiosk) return [];
  const figures = (row: Record<string, string | number>, apdus: string, ms: string) =>
    `${row[apdus]} APDUs, ${Number(row[ms]).toFixed(0)} ms`;
  const against = openSc ? `OpenSC pkcs11-tool: ${figures(openSc, 'APDUs', 'median ms')}` : 'OpenSC missing';
  const versus = (apdus: string, ms: string) =>
    openSc
      ? `${ratio(Number(kiosk[apdus]), Number(openSc.APDUs), 'fewer APDUs', 'more APDUs')}, ` +
        ratio(Number(kiosk[ms]), Number(openSc['median ms']), 'faster', 'slower')
      : '—';
  return [
    {
      measure: 'card: authentication through pcscd, whole (short reads)',
      ours: figures(kiosk, 'APDUs', 'median ms'),
      against,
      comparison: versus('APDUs', 'median ms'),
    },
    {
      measure: 'card: after the PIN is entered (the certificate read while typing)',
      ours: figures(kiosk, 'APDUs after PIN', 'ms after PIN'),
      against,
      comparison: versus('APDUs after PIN', 'ms after PIN'),
    },
  ];
}
