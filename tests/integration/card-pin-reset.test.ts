/**
 * The reset flow through the real PC/SC path: the kiosk relays the centre's secure-messaging
 * commands to the virtual card behind pcscd. Run under the vpcd lock:
 *   flock /tmp/vpcd.lock npx vitest run --project integration tests/integration/card-pin-reset.test.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CardSession } from '../../native/card-transport.ts';
import { JpkiClient } from '../../native/jpki/jpki-client.ts';
import { changeSigningPin, relayPinReset } from '../../native/jpki/pin-reset.ts';
import type { PinResetAuthority } from '../../native/jpki/pin-reset.ts';
import {
  buildPinResetCommand,
  checkPinResetResponse,
  deriveCardKey,
} from '../../protocol/secure-messaging.ts';
import { PcscCardReader } from '../../native/pcsc/pcsc-card-reader.ts';
import { TEST_PIN_RESET_MASTER_KEY, testCard } from '../../native/test-pki/fixtures.ts';
import { CardStateStore } from '../../native/virtual-card/card-state-store.ts';
import type { CardPersonalisation } from '../../native/virtual-card/personalisation.ts';
import { VirtualMyNumberCard } from '../../native/virtual-card/virtual-my-number-card.ts';
import { VpcdConnection } from '../../native/virtual-card/vpcd-connection.ts';
import { ensurePcscd } from '../support/pcscd.ts';
import type { PcscdHandle } from '../support/pcscd.ts';
import { waitForReaderStatus } from '../../native/card-transport.ts';

const VPCD_READER = 'Virtual PCD 00 00';
const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'ascii'));

let pcscd: PcscdHandle;
let reader: PcscCardReader;
let perso: CardPersonalisation;
let card: VirtualMyNumberCard;
let vpcd: VpcdConnection;
let stateDir: string;

async function connect(): Promise<CardSession> {
  await waitForReaderStatus(reader, (s) => s.kind === 'ready' && s.cardPresent);
  const s = await reader.connect({ timeoutMs: 10_000 });
  if (!('transport' in s)) throw new Error(`connect: ${JSON.stringify(s)}`);
  return s;
}

/** The centre's side, as the server will run it: the key comes from its master key and the card id. */
function centre(newPin: string | null): PinResetAuthority & { commands: Uint8Array[] } {
  const cardKey = deriveCardKey(TEST_PIN_RESET_MASTER_KEY, perso.holderId);
  const commands: Uint8Array[] = [];
  let challenge = new Uint8Array(0);
  return {
    commands,
    commandFor: async (req) => {
      challenge = Uint8Array.from(req.challenge);
      const apdu = buildPinResetCommand({
        cardKey,
        challenge,
        target: req.target,
        ...(newPin ? { newPin: ascii(newPin) } : {}),
      });
      commands.push(apdu);
      return { kind: 'command', apdu };
    },
    confirm: async ({ response }) => checkPinResetResponse({ cardKey, challenge, response }),
  };
}

beforeAll(async () => {
  pcscd = await ensurePcscd();
  stateDir = mkdtempSync(join(tmpdir(), 'card-reset-'));
  perso = await testCard({ holderId: 'pcsc-pin-reset' });
  card = new VirtualMyNumberCard({ personalisation: perso, stateStore: new CardStateStore(stateDir) });
  reader = new PcscCardReader({ readerName: VPCD_READER });
  await waitForReaderStatus(reader, (s) => s.kind === 'ready');
  vpcd = new VpcdConnection(card);
  expect(await vpcd.insert({ timeoutMs: 10_000 })).toEqual({ kind: 'inserted' });
});

afterAll(async () => {
  await vpcd?.close();
  await reader?.close();
  await pcscd?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('PIN reset through pcscd', () => {
  it('locks the signing PIN, resets it under the centre key, refuses the replay, and the new PIN works', async () => {
    const session = await connect();
    const authority = centre('KIOSK2026');
    try {
      const client = new JpkiClient(session.transport);
      for (let i = 0; i < 5; i++) await client.verifySigningPin(ascii('WRONG00'));
      expect(await client.pinTriesLeft('signing')).toEqual({ kind: 'locked' });
      expect(await relayPinReset(client, authority, 'signing')).toEqual({ kind: 'reset-done' });
      await client.getChallenge();
      const replay = await client.relay(authority.commands[0]!);
      expect(replay.kind).toBe('response');
      if (replay.kind === 'response')
        expect(Buffer.from(replay.response.subarray(-2)).toString('hex')).toBe('6988');
      expect(await changeSigningPin(client, ascii('KIOSK2026'), ascii('CHANGED77'))).toEqual({
        kind: 'changed',
      });
    } finally {
      await session.close();
    }
    const next = await connect();
    try {
      const client = new JpkiClient(next.transport);
      expect(await client.pinTriesLeft('signing')).toEqual({ kind: 'tries-left', triesLeft: 5 });
      expect(await client.verifySigningPin(ascii('CHANGED77'))).toEqual({ kind: 'ok' });
    } finally {
      await next.close();
    }
  });
});
