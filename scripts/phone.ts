/**
 * `npm run phone -- --holder ID --pin PIN --selfie IMAGE [--json] [--centre URL]`
 *
 * The PIN reset's step 1 as the phone does it, with the holder's virtual card standing in for
 * NFC: the card proves itself with the 4-digit PIN, the phone reads the card's basic information
 * and signed face (照合番号B derived from the test card), sends the selfie, and prints the
 * one-time password the centre grants. Without --centre, a centre runs in this process on the dev
 * world's database, so the kiosk's centre sees the grant. Exit 0 granted, 1 refused, 2 usage.
 * `npm run card -- --selfie ID --out FILE` writes a test selfie.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isCardError } from '../native/card-transport.ts';
import { InProcessCardReader } from '../native/virtual-card/in-process-reader.ts';
import { isPersonalisationError, loadPersonalisation } from '../native/virtual-card/personalisation.ts';
import { createCentre } from '../server/centre.ts';
import { fail, PROJECT_ROOT } from './cli-common.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard } from './dev/world.ts';
import { phonePinReset, type PhonePost } from './phone/phone-client.ts';

const USAGE = 'usage: npm run phone -- --holder ID --pin PIN --selfie IMAGE [--json] [--centre URL]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string' },
      pin: { type: 'string' },
      selfie: { type: 'string' },
      json: { type: 'boolean' },
      centre: { type: 'string' },
      world: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help || !values.holder || !values.pin || !values.selfie) {
    console.error(USAGE);
    process.exit(2);
  }
  const world = await ensureDevWorld(values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT));
  const card = await openVirtualCard(world, values.holder);
  if (!('transmit' in card)) fail(`no test card for holder ${values.holder} (${card.kind})`, 2);
  const personalisation = await loadPersonalisation(join(world.dir, 'cards', `${values.holder}.json`));
  if (isPersonalisationError(personalisation) || !personalisation.face)
    fail(`the test card of ${values.holder} has no 券面AP`, 2);
  const selfie = new Uint8Array(await readFile(values.selfie));

  let post: PhonePost;
  let close = async (): Promise<void> => undefined;
  if (values.centre) {
    const base = values.centre.replace(/\/$/, '');
    post = async (path, body) => {
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    };
  } else {
    const centre = await createCentre({ ...centreOptionsFor(world), logger: false });
    post = async (path, body) => {
      const res = await centre.app.inject({ method: 'POST', url: path, payload: body as object });
      return { status: res.statusCode, json: res.json() };
    };
    close = () => centre.close();
  }

  const reader = new InProcessCardReader();
  reader.insert(card);
  const session = await reader.connect();
  if (isCardError(session)) fail(`card: ${session.kind}`);
  try {
    const outcome = await phonePinReset({
      transport: session.transport,
      pin: values.pin,
      collationB: personalisation.face.collationB,
      selfie,
      post,
    });
    if (values.json) console.log(JSON.stringify(outcome));
    else if (outcome.kind === 'granted')
      console.log(
        outcome.password
          ? `one-time password: ${outcome.password} (valid until ${outcome.expiresAt}; single use)`
          : `card bound for the PIN reset until ${outcome.expiresAt}`,
      );
    else if (outcome.kind === 'refused') console.error(`refused: ${outcome.code}`);
    else console.error(`card: ${outcome.detail}`);
    process.exitCode = outcome.kind === 'granted' ? 0 : 1;
  } finally {
    await session.close();
    await reader.close();
    await close();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
