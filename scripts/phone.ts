/**
 * `npm run phone -- --holder ID --pin PIN --selfie IMAGE [--json] [--centre URL]`
 * `npm run phone -- --holder ID --signing-pin PIN --selfie IMAGE [--json] [--centre URL]`
 * `npm run phone -- --web [--holder ID] [--port P] [--centre URL]`
 *
 * The PIN reset's step 1 as the phone does it, with the holder's virtual card standing in for
 * NFC: the card proves itself with the 4-digit PIN, the phone reads the card's basic information
 * and signed face (照合番号B derived from the test card), sends the selfie, and prints the
 * one-time password the centre grants — for the 署名用 PIN's reset. With --signing-pin instead of
 * --pin the card proves itself with its signing key and the 署名用 PIN, and the grant resets the
 * 4-digit PIN (the resident forgot that one). Without --centre, a centre runs in this process on the dev
 * world's database, so the kiosk's centre sees the grant. Exit 0 granted, 1 refused, 2 usage.
 * `npm run card -- --selfie ID --out FILE` writes a test selfie.
 *
 * `--web`: the phone's web page instead, for a browser. A card bridge (a loopback WebSocket to the
 * holder's virtual card, default H0001; scripts/phone/card-bridge.ts) stands in for the NFC a
 * browser lacks, and the first line printed is `Phone page: URL` (the bridge's address in the
 * URL's fragment). Without --centre the page is served by a centre in this process (phone listener
 * only, plain HTTP on 127.0.0.1, the world's database); with --centre URL (its phone listener) only
 * the bridge runs. Runs until stopped.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isCardError } from '../native/card-transport.ts';
import { InProcessCardReader } from '../native/virtual-card/in-process-reader.ts';
import { isPersonalisationError, loadPersonalisation } from '../native/virtual-card/personalisation.ts';
import { createCentre } from '../server/centre.ts';
import { loadFaceModel } from '../server/phone/face-model.ts';
import { fail, onShutdown, PROJECT_ROOT } from './cli-common.ts';
import { defaultWorldDir } from './dev/stack.ts';
import { centreOptionsFor, ensureDevWorld, openVirtualCard } from './dev/world.ts';
import { phonePinReset, type PhonePost } from './phone/phone-client.ts';
import { startCardBridge } from './phone/card-bridge.ts';
import { BRIDGE_FRAGMENT_PARAM } from './phone/card-bridge-messages.ts';
import { bundlePhonePage } from './phone/page-bundle.ts';
import type { DevWorld } from './dev/world.ts';

const USAGE = `usage: npm run phone -- --holder ID (--pin PIN | --signing-pin PIN) --selfie IMAGE [--json] [--centre URL]
       npm run phone -- --web [--holder ID] [--port P] [--centre URL]`;

/** The phone page for a browser, with the card bridge to the holder's virtual card. */
async function web(
  world: DevWorld,
  holderId: string,
  port: number,
  centreUrl: string | undefined,
): Promise<void> {
  // Opening the card makes it on first use; its file then holds 照合番号B.
  const first = await openVirtualCard(world, holderId);
  if (!('transmit' in first)) fail(`no test card for holder ${holderId} (${first.kind})`, 2);
  const loaded = await loadPersonalisation(join(world.dir, 'cards', `${holderId}.json`));
  if (isPersonalisationError(loaded) || !loaded.face) fail(`the test card of ${holderId} has no 券面AP`, 2);

  let pageUrl: string;
  let closeCentre = async (): Promise<void> => undefined;
  if (centreUrl) pageUrl = new URL('/phone/', centreUrl).toString();
  else {
    // Its log on stderr: stdout's first line is the page's URL.
    const centre = await createCentre({
      ...centreOptionsFor(world),
      logger: { level: 'info', stream: process.stderr },
    });
    if (!centre.phone) fail('the centre serves no phone', 1);
    centre.phone.servePage(await bundlePhonePage());
    await centre.phone.app.listen({ host: '127.0.0.1', port });
    const address = centre.phone.app.server.address();
    pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/phone/`;
    closeCentre = () => centre.close();
    // The face model loads while the resident reads the page, not on their first photo.
    loadFaceModel().catch((error: unknown) => console.error(`face model: ${String(error)}`));
  }
  const bridge = await startCardBridge({
    openCard: async () => {
      const card = await openVirtualCard(world, holderId);
      if (!('transmit' in card)) throw new Error(card.kind);
      return card;
    },
    holderId,
    collationB: loaded.face.collationB,
    pageOrigin: new URL(pageUrl).origin,
  });
  console.log(`Phone page: ${pageUrl}#${BRIDGE_FRAGMENT_PARAM}=${encodeURIComponent(bridge.url)}`);
  console.log(
    `  card bridge: ${bridge.url.replace(/key=.*/, 'key=…')} (the virtual card of ${holderId}, standing in for NFC)`,
  );
  console.log(
    centreUrl
      ? `  centre: ${centreUrl} (given)`
      : `  centre: in this process, phone listener only, on the world's database ${world.dir}/centre.sqlite`,
  );
  onShutdown(async () => {
    await bridge.close();
    await closeCentre();
  });
}

const pinName = (target: 'signing' | 'auth') =>
  target === 'auth' ? '4-digit PIN (利用者証明用)' : 'signing PIN (署名用)';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      holder: { type: 'string' },
      pin: { type: 'string' },
      'signing-pin': { type: 'string' },
      selfie: { type: 'string' },
      json: { type: 'boolean' },
      centre: { type: 'string' },
      web: { type: 'boolean' },
      port: { type: 'string', default: '8783' },
      world: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const known = values.pin !== undefined ? 1 : 0;
  const knownSigning = values['signing-pin'] !== undefined ? 1 : 0;
  if (values.help || (!values.web && (!values.holder || known + knownSigning !== 1 || !values.selfie))) {
    console.error(USAGE);
    process.exit(2);
  }
  const world = await ensureDevWorld(values.world ? resolve(values.world) : defaultWorldDir(PROJECT_ROOT));
  if (values.web) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port is a TCP port number', 2);
    return web(world, values.holder ?? 'H0001', port, values.centre);
  }
  if (!values.holder || !values.selfie) return;
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
      if (!centre.phone) throw new Error('the centre serves no phone');
      const res = await centre.phone.app.inject({ method: 'POST', url: path, payload: body as object });
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
      ...(values.pin !== undefined ? { pin: values.pin } : {}),
      ...(values['signing-pin'] !== undefined ? { signingPin: values['signing-pin'] } : {}),
      collationB: personalisation.face.collationB,
      selfie,
      post,
    });
    if (values.json) console.log(JSON.stringify(outcome));
    else if (outcome.kind === 'granted')
      console.log(
        outcome.password
          ? `one-time password: ${outcome.password} (valid until ${outcome.expiresAt}; single use; resets the ${pinName(outcome.target)})`
          : `card bound for the reset of the ${pinName(outcome.target)} until ${outcome.expiresAt}`,
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
