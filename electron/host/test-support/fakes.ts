/**
 * Fake parts for the host's unit tests (card, reader, printer, centre) and the menu most of them
 * show. Each builder takes overrides: a test that needs a special part passes only what differs.
 */
import type { AuthenticateResponse } from '../../../protocol/index.ts';
import { FakePaymentDevice } from '../../payment/fake-payment-device.ts';
import type { Printer } from '../../printer/printer.ts';
import type { CardHandle, CardPort } from '../card-port.ts';
import type { CentreClient } from '../centre-client.ts';
import { createMunicipalityKeyRing } from '../issue-document.ts';
import type { HostClock } from '../kiosk-host.ts';
import type { SessionServices } from '../session-machine.ts';

/** One municipality (千代田区), one certificate (印鑑登録証明書, 200 yen). */
export const MENU: AuthenticateResponse = {
  municipality: { code: '131016', name: '千代田区' },
  menu: [{ certificateType: 'inkan', available: true, feeYen: 200, maxCopies: 10 }],
};

/** The certificate the fake card reads (a stand-in DER; only its hash binds documents). */
export const FAKE_AUTH_CERTIFICATE = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]);

/** A card that answers every step: 3 PIN tries left, the PIN right, a signature. */
export function fakeCardHandle(overrides: Partial<CardHandle> = {}): CardHandle {
  return {
    prepare: async () => ({ ok: true, value: { authPinTriesLeft: 3 } }),
    readAuthCertificate: async () => ({ ok: true, value: FAKE_AUTH_CERTIFICATE }),
    verifyAuthPin: async () => ({ ok: true, value: { kind: 'ok' } }),
    signWithAuthKey: async () => ({ ok: true, value: new Uint8Array(256) }),
    release: async () => undefined,
    ...overrides,
  };
}

/** A ready reader with `card` on it (present unless overridden); it never reports removal. */
export function fakeCardPort(
  card: CardHandle = fakeCardHandle(),
  overrides: Partial<CardPort> = {},
): CardPort {
  return {
    waitForCard: async () => ({ ok: true, value: card }),
    onCardRemoved: () => () => undefined,
    cardPresent: () => true,
    readerState: () => 'ready',
    onReaderState: () => () => undefined,
    ...overrides,
  };
}

/** An idle printer that accepts every job. */
export function fakePrinter(overrides: Partial<Printer> = {}): Printer {
  return {
    describe: () => 'fake',
    status: async () => ({ kind: 'idle' }),
    print: async () => ({ ok: true, jobId: '1' }),
    ...overrides,
  };
}

const unreachable = { ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } } as const;

/**
 * A centre that gives a challenge and authenticates to `MENU`; every other call fails as
 * 'centre-unreachable' unless overridden.
 */
export function fakeCentre(overrides: Partial<CentreClient> = {}): CentreClient {
  return {
    challenge: async () => ({
      ok: true,
      value: { challenge: Buffer.alloc(32, 7).toString('base64'), expiresAt: '2030-01-01T00:00:00Z' },
    }),
    authenticate: async () => ({ ok: true, value: MENU }),
    issue: async () => unreachable,
    kosekiRegistration: async () => unreachable,
    householdMembers: async () => unreachable,
    delivery: async () => unreachable,
    municipalityKeys: async () => unreachable,
    close: async () => undefined,
    ...overrides,
  };
}

/** A clock whose timers fire only when the test says so. */
export function manualClock(): HostClock & { fireAll(): void; pending(): number } {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    setTimeout(callback) {
      const id = next++;
      timers.set(id, callback);
      return id;
    },
    clearTimeout(timer) {
      timers.delete(timer as number);
    },
    fireAll() {
      const due = [...timers.values()];
      timers.clear();
      for (const callback of due) callback();
    },
    pending: () => timers.size,
  };
}

/**
 * A session's services from the fakes above, on terminal S0001-T01, every transaction numbered
 * `transactionId`: a key ring with no root keys over the centre, a renderer never reached, a fresh
 * `FakePaymentDevice`, transaction events dropped. Overrides replace any of them.
 */
export function fakeServices(
  transactionId: string,
  overrides: Partial<SessionServices> = {},
): SessionServices {
  const centre = overrides.centre ?? fakeCentre();
  return {
    cardPort: fakeCardPort(),
    centre,
    keyRing: createMunicipalityKeyRing(centre, new Map()),
    render: async () => ({ ok: false, error: { kind: 'unused' } }),
    printer: fakePrinter(),
    payment: new FakePaymentDevice(),
    terminalId: 'S0001-T01',
    newTransactionId: () => transactionId,
    onTransactionEvent: () => undefined,
    ...overrides,
  };
}
