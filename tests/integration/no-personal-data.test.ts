/**
 * Design rule 5, on the disk: after 20 sessions through the dev stack (in-process card,
 * ippeveprinter, the payment simulator; printed sessions and sessions cancelled after a coin went
 * in), the kiosk's own folders — its journal (with the WAL) and the temporary folder the host
 * process uses — hold no PDF and none of the residents' names, readings, addresses or birth dates.
 *
 * The printer's folder is not the kiosk's disk: ippeveprinter stands in for the multi-copy
 * machine's printer and keeps what it received (`-k`), the paper. It is counted, not scanned.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHostLogger } from '../../electron/host/logger.ts';
import { runTransaction, waitForScreen, waitForSnapshot } from '../../scripts/dev/drive.ts';
import { startDevStack, type RunningStack } from '../../scripts/dev/stack.ts';
import { cardListRows, loadSeedWorld } from '../../server/seed/index.ts';

/** No other test file uses this holder. */
const HOLDER = 'H0003';
const SESSIONS = 20;
/** Every fifth session the resident cancels after a coin went in (the refund path). */
const cancels = (i: number) => i % 5 === 4;

let scratch: string;
let kioskDir: string;
let printerDir: string;
let stack: RunningStack;
let stackClosed = false;
const savedTmpdir = process.env.TMPDIR;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'kiosk-disk-'));
  kioskDir = join(scratch, 'kiosk');
  printerDir = join(scratch, 'printer');
  await mkdir(join(kioskDir, 'tmp'), { recursive: true });
  stack = await startDevStack({
    worldDir: inject('worldDir'),
    outputDir: printerDir,
    logger: createHostLogger({ level: 'silent' }),
    card: 'in-process',
    printer: 'ipp',
    holderId: HOLDER,
    journalPath: join(kioskDir, 'journal', 'kiosk-journal.sqlite'),
    // Tests run at any hour: opening hours alone are judged on the demo clock.
    demoOpeningHours: true,
  });
  // The host runs in this process: whatever temporary file it makes lands in the kiosk's folder.
  process.env.TMPDIR = join(kioskDir, 'tmp');
});

afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  if (!stackClosed) await stack?.close();
  await rm(scratch, { recursive: true, force: true });
});

/** The household's personal data as the seed holds it, in the forms a document or a log would carry it. */
function personalStrings(): string[] {
  const world = loadSeedWorld();
  const holder = world.residents.find((r) => r.holderId === HOLDER);
  if (!holder) throw new Error(`no seed resident ${HOLDER}`);
  const household = world.households.find((h) => h.householdId === holder.householdId);
  const members = world.residents.filter((r) => r.householdId === holder.householdId);
  const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
    era: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
  });
  const strings = [household?.address ?? ''];
  for (const r of members) {
    const [y, m, d] = r.birthDate.split('-').map(Number) as [number, number, number];
    strings.push(
      r.name,
      r.name.replace(/\s/g, ''),
      r.nameKana,
      r.birthDate,
      r.birthDate.replace(/-/g, ''),
      era.format(new Date(Date.UTC(y, m - 1, d, 3))),
      `${y}年${m}月${d}日`,
      ...(r.previousAddress ? [r.previousAddress] : []),
      ...(r.honseki ? [r.honseki.address, r.honseki.hittousha] : []),
    );
  }
  return [...new Set(strings.filter((s) => s.length >= 4))];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

/** What a folder holds that must not be on a kiosk: PDFs by name or by content, and personal strings. */
async function findings(dir: string, strings: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesUnder(dir)) {
    const bytes = await readFile(file);
    if (/\.pdf$/i.test(file)) found.push(`${file}: a PDF file`);
    if (bytes.includes('%PDF-')) found.push(`${file}: PDF content`);
    for (const s of strings) if (bytes.includes(Buffer.from(s, 'utf8'))) found.push(`${file}: «${s}»`);
  }
  return found;
}

async function cancelAfterCoin(): Promise<void> {
  for (let i = 0; i < 100 && !stack.host.send({ type: 'start' }).accepted; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await waitForScreen(stack.host, ['pin-entry']);
  const pin = cardListRows(loadSeedWorld()).find((r) => r.holderId === HOLDER)?.authPin ?? '';
  for (const digit of pin) stack.host.send({ type: 'pin-digit', digit: Number(digit) });
  stack.host.send({ type: 'pin-submit' });
  await waitForScreen(stack.host, ['menu']);
  stack.host.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
  await waitForScreen(stack.host, ['confirm']);
  stack.host.send({ type: 'confirm' });
  await waitForSnapshot(
    stack.host,
    (s) => s.view.screen === 'payment' && s.view.accepts.includes(100),
    'the slot',
  );
  await stack.insertMoney(100);
  await waitForSnapshot(stack.host, (s) => s.view.screen === 'payment' && s.view.paidYen === 100, '100円');
  stack.host.send({ type: 'cancel' });
  const ended = await waitForSnapshot(
    stack.host,
    (s) => s.view.screen === 'error' && s.view.refunding !== true,
    'the refund',
  );
  expect(ended.view).toMatchObject({ screen: 'error', error: 'cancelled', refundedYen: 100 });
  stack.host.send({ type: 'finish' });
  await waitForScreen(stack.host, ['welcome']);
}

describe('the kiosk disk after 20 sessions', () => {
  it('finds the scan able to see a PDF and a name (the check can fail)', async () => {
    const probe = await mkdtemp(join(scratch, 'probe-'));
    const [name] = personalStrings();
    await writeFile(join(probe, 'x.bin'), `..%PDF-1.7 ${name}..`);
    expect(await findings(probe, personalStrings())).toHaveLength(2);
  });

  it('holds no PDF and no personal data in the journal or the host’s temporary folder', async () => {
    const pin = cardListRows(loadSeedWorld()).find((r) => r.holderId === HOLDER)?.authPin ?? '';
    const ids: string[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      if (cancels(i)) {
        await cancelAfterCoin();
        continue;
      }
      const outcome = await runTransaction(
        stack.host,
        { pin, certificateType: 'juminhyo', copies: 1 },
        stack.insertMoney,
      );
      expect(outcome.kind, JSON.stringify(outcome)).toBe('printed');
      if (outcome.kind === 'printed') ids.push(outcome.transactionId);
    }
    const printed = SESSIONS - Array.from({ length: SESSIONS }, (_, i) => i).filter(cancels).length;
    expect(ids).toHaveLength(printed);

    // The journal knows every session, by id and state only.
    const entries = stack.journal.list();
    expect(entries).toHaveLength(SESSIONS);
    expect(entries.filter((e) => e.state === 'done')).toHaveLength(printed);
    expect(entries.filter((e) => e.state === 'refunded')).toHaveLength(SESSIONS - printed);
    // The printer (the paper) got one document per printed session.
    expect((await filesUnder(printerDir)).filter((f) => /\.pdf$/i.test(f))).toHaveLength(printed);

    const strings = personalStrings();
    // Scanned while the host runs (the WAL holds the newest steps) and again once it has stopped.
    const files = await filesUnder(kioskDir);
    expect(files.some((f) => f.endsWith('kiosk-journal.sqlite'))).toBe(true);
    expect(await findings(kioskDir, strings)).toEqual([]);
    await stack.close();
    stackClosed = true;
    expect(await findings(kioskDir, strings)).toEqual([]);
  });
});
