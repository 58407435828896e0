/**
 * `npm run card -- --list [--json]`       the test cards (holder id, name, municipality, PINs)
 * `npm run card -- --holder ID`           put that holder's virtual card on pcscd's virtual reader
 *                                         (vpcd) until stopped (Ctrl-C takes it off)
 * `npm run card -- --reset ID`            restore that card's PIN counters (tries) to factory state
 * `npm run card -- --selfie ID --out FILE [--variant N] [--impostor]`
 *                                         write a test selfie (JPEG) of that holder for `npm run phone`
 *                                         (variant 0–2: scale, light, rotation; --impostor: another person)
 * The test cards are test data: their PINs are listed on purpose. Real PINs never are.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VpcdConnection } from '../native/virtual-card/vpcd-connection.ts';
import { cardListRows } from '../server/seed/index.ts';
import { describeServiceError, startPcscd } from './system/services.ts';
import { ensureDevWorld, openVirtualCard } from './dev/world.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';
import { FACE_HOLDERS, impostorSelfieJpeg, selfieJpeg } from './dev/test-faces.ts';

const USAGE =
  'usage: npm run card -- --list [--json] | --holder ID | --reset ID | --selfie ID --out FILE [--variant N] [--impostor]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      list: { type: 'boolean' },
      json: { type: 'boolean' },
      holder: { type: 'string' },
      reset: { type: 'string' },
      selfie: { type: 'string' },
      out: { type: 'string' },
      variant: { type: 'string' },
      impostor: { type: 'boolean' },
      world: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const worldDir = values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT);

  if (values.list) {
    const rows = cardListRows();
    if (values.json) console.log(JSON.stringify(rows, null, 2));
    else
      for (const r of rows)
        console.log(`${r.holderId}  ${r.authPin}  ${r.signingPin.padEnd(16)}  ${r.municipality}  ${r.name}`);
    return;
  }
  if (values.selfie) {
    if (!values.out) fail(USAGE, 2);
    const variant = Number(values.variant ?? '0');
    const jpeg = values.impostor
      ? await impostorSelfieJpeg(values.selfie, variant)
      : await selfieJpeg(values.selfie, variant);
    if (!jpeg)
      fail(`no test face for ${values.selfie} (variant ${variant}); faces: ${FACE_HOLDERS.join(' ')}`, 2);
    await writeFile(values.out, jpeg);
    console.log(
      `${values.out}: ${values.impostor ? 'an impostor’s' : `${values.selfie}’s`} selfie (${jpeg.length} bytes)`,
    );
    return;
  }
  if (values.reset) {
    const world = await ensureDevWorld(worldDir);
    if (!world.manifest.registry.some((e) => e.holderId === values.reset))
      fail(`no test card for holder ${values.reset}`, 2);
    await rm(join(world.dir, 'card-state', `${values.reset}.state.json`), { force: true });
    console.log(`${values.reset}: PIN counters restored`);
    return;
  }
  if (values.holder) {
    const world = await ensureDevWorld(worldDir);
    const card = await openVirtualCard(world, values.holder);
    if (!('transmit' in card)) fail(`no test card for holder ${values.holder} (${card.kind})`, 2);
    const pcscd = await startPcscd();
    if (!pcscd.ok) fail(describeServiceError(pcscd.error));
    const connection = new VpcdConnection(card, { port: pcscd.value.vpcdPort });
    const inserted = await connection.insert({ timeoutMs: 10_000 });
    if (inserted.kind !== 'inserted') fail(`vpcd did not take the card: ${inserted.detail}`);
    console.log(
      `card ${values.holder} is on the virtual reader (vpcd, TCP ${pcscd.value.vpcdPort}); Ctrl-C takes it off`,
    );
    onShutdown(async () => {
      await connection.remove();
      await pcscd.value.stop();
    });
    return;
  }
  console.error(USAGE);
  process.exit(2);
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
