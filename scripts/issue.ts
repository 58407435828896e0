/**
 * `npm run issue -- --holder ID --pin PIN --certificate juminhyo --out DIR`
 * One whole transaction without the UI, through the same kiosk host the screens use: the
 * holder's virtual card on the reader (pcscd + vpcd where installed), the PIN, the certificate,
 * payment, printing. The printed PDF is written to DIR/<transaction id>.pdf. With no --centre it
 * starts an embedded reference centre, and always a printer for the run. Exits non-zero with a
 * clear message on any failure.
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CertificateTypeSchema } from '../protocol/index.ts';
import { runTransaction, type OptionRequest } from './dev/drive.ts';
import { defaultWorldDir, startDevStack, type CardMode, type PrinterMode } from './dev/stack.ts';
import { defaultJournalPath } from '../electron/journal/journal-path.ts';
import { cliLogger, describeKioskError, fail, PROJECT_ROOT } from './cli-common.ts';

const USAGE =
  'usage: npm run issue -- --holder ID --pin PIN --certificate TYPE --out DIR [--copies N] [--scope household|self|members] [--members 1,3] [--honseki] [--no-relationship] [--tax-year YYYY] [--centre URL] [--card pcsc|in-process|auto] [--printer ipp|spool|auto] [--demo-opening-hours]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string' },
      pin: { type: 'string' },
      certificate: { type: 'string', default: 'juminhyo' },
      copies: { type: 'string', default: '1' },
      scope: { type: 'string' },
      members: { type: 'string' },
      honseki: { type: 'boolean' },
      'no-relationship': { type: 'boolean' },
      'tax-year': { type: 'string' },
      out: { type: 'string' },
      centre: { type: 'string' },
      card: { type: 'string', default: 'auto' },
      printer: { type: 'string', default: 'auto' },
      world: { type: 'string' },
      'demo-opening-hours': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values.holder || !values.pin || !values.out)
    fail(`--holder, --pin and --out are required\n${USAGE}`, 2);
  if (!/^[0-9]{4}$/.test(values.pin)) fail('the PIN (--pin) is 4 digits', 2);
  const certificateType = CertificateTypeSchema.safeParse(values.certificate);
  if (!certificateType.success)
    fail(
      `unknown certificate type "${values.certificate}" (one of ${CertificateTypeSchema.options.join(', ')})`,
      2,
    );
  const copies = Number(values.copies);
  if (!Number.isInteger(copies) || copies < 1 || copies > 10)
    fail('--copies is a whole number from 1 to 10', 2);
  if (!['pcsc', 'in-process', 'auto'].includes(values.card)) fail('--card is pcsc, in-process or auto', 2);
  if (!['ipp', 'spool', 'auto'].includes(values.printer)) fail('--printer is ipp, spool or auto', 2);

  const options: OptionRequest = {};
  if (values.scope !== undefined) {
    if (!['household', 'self', 'members'].includes(values.scope))
      fail('--scope is household, self or members', 2);
    options.scope = values.scope as OptionRequest['scope'];
  }
  if (values.members !== undefined) {
    const members = values.members.split(',').map(Number);
    if (members.some((m) => !Number.isInteger(m) || m < 1 || m > 99))
      fail('--members is a list of positions, e.g. 1,3', 2);
    options.scope = 'members';
    options.members = members;
  }
  if (values.honseki) options.includeHonseki = true;
  if (values['no-relationship']) options.includeRelationship = false;
  if (values['tax-year'] !== undefined) {
    const year = Number(values['tax-year']);
    if (!Number.isInteger(year) || year < 2000 || year > 2100)
      fail('--tax-year is a fiscal year, e.g. 2025', 2);
    options.taxYear = year;
  }

  const outDir = resolve(values.out);
  await mkdir(outDir, { recursive: true });
  const printerDir = await mkdtemp(join(tmpdir(), 'kiosk-issue-'));
  let jobId: string | undefined;
  const stack = await startDevStack({
    worldDir: values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT),
    outputDir: printerDir,
    logger: cliLogger(),
    journalPath: defaultJournalPath(PROJECT_ROOT),
    holderId: values.holder,
    card: values.card as CardMode,
    printer: values.printer as PrinterMode,
    ...(values.centre ? { centreUrl: values.centre } : {}),
    demoOpeningHours: values['demo-opening-hours'] === true,
    onTransactionEvent: (event) => {
      if (event.kind === 'printed') jobId = event.jobId;
    },
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  for (const part of stack.parts) console.error(`  ${part}`);

  try {
    const outcome = await runTransaction(
      stack.host,
      {
        pin: values.pin,
        certificateType: certificateType.data,
        copies,
        ...(Object.keys(options).length > 0 ? { options } : {}),
      },
      stack.insertMoney,
    );
    switch (outcome.kind) {
      case 'wrong-pin':
        console.error(
          outcome.triesLeft > 0
            ? `error: wrong PIN: ${outcome.triesLeft} ${outcome.triesLeft === 1 ? 'try' : 'tries'} left before the card locks`
            : 'error: wrong PIN: the PIN is now locked',
        );
        return 3;
      case 'not-available':
        console.error(
          `error: ${certificateType.data} is not available for this resident (${outcome.reason})`,
        );
        return 4;
      case 'error': {
        const view = outcome.snapshot.view;
        console.error(
          `error: ${view.screen === 'error' ? describeKioskError(view.error) : `stopped at ${view.screen}`}`,
        );
        return 5;
      }
      case 'printed': {
        const received = (await readdir(printerDir)).filter((name) =>
          name.toLowerCase().includes(outcome.transactionId.toLowerCase()),
        );
        const source = received.find((name) => name.endsWith('.pdf'));
        if (!source) {
          console.error(`error: the printer reported job ${jobId ?? '?'} done but kept no document`);
          return 6;
        }
        const target = join(outDir, `${outcome.transactionId}.pdf`);
        await copyFile(join(printerDir, source), target);
        console.log(target);
        return 0;
      }
    }
  } finally {
    await stack.close();
    await rm(printerDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
