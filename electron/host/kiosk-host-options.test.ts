/**
 * The session's new steps with fake parts (card, centre, printer): the confirm screen's choices
 * reach the issue request, the menu carries the municipality's notices, and the 利用登録 is filed
 * from the menu; payment takes credit only from the payment device, pays change and refunds. The
 * real parts run in tests/e2e/kiosk-options.test.ts and tests/integration/payment-session.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type {
  AuthenticateResponse,
  DeliveryRequest,
  HouseholdMembersRequest,
  HouseholdMembersResponse,
  IssueRequest,
  KosekiRegistrationRequest,
  KosekiRegistrationResponse,
  SignedKeyList,
} from '../../protocol/index.ts';
import type { KioskScreen } from '../kiosk-api.ts';
import { FakePaymentDevice } from '../payment/fake-payment-device.ts';
import type { CentreClient, CentreResult } from './centre-client.ts';
import { createKioskHost, type KioskHost } from './kiosk-host.ts';
import { createHostLogger } from './logger.ts';
import type { TransactionEvent } from './session-machine.ts';
import { toMenu, waitFor } from './test-support/drive.ts';
import { fakeServices } from './test-support/fakes.ts';

const TX = '2b0c43a4-5f0e-4d4c-9d53-6b8ad2f9a001';

const MENU: AuthenticateResponse = {
  municipality: { code: '131016', name: '千代田区' },
  menu: [
    {
      certificateType: 'juminhyo',
      available: true,
      feeYen: 200,
      maxCopies: 10,
      options: {
        scopes: ['household', 'self', 'members'],
        relationship: true,
        honseki: true,
        myNumber: true,
      },
    },
    { certificateType: 'inkan', available: true, feeYen: 200, maxCopies: 10 },
    {
      certificateType: 'shotoku-kazei',
      available: true,
      feeYen: 300,
      maxCopies: 5,
      options: { taxYears: [2025, 2024] },
    },
    { certificateType: 'koseki-zenbu', available: false, reason: 'registration-needed' },
  ],
  notices: [
    { id: 'maint-1', ja: '3月1日は保守のため休止します。', en: 'Closed for maintenance on 1 March.' },
  ],
};

const HOUSEHOLD: HouseholdMembersResponse = {
  members: [
    { order: 1, name: '山田 太郎' },
    { order: 2, name: '山田 花子' },
  ],
};

class FakeCentre implements CentreClient {
  readonly issued: IssueRequest[] = [];
  readonly householdAsked: HouseholdMembersRequest[] = [];
  householdAnswer: CentreResult<HouseholdMembersResponse> = { ok: true, value: HOUSEHOLD };
  /** While set, the household answer waits for it (the loading state can be seen). */
  householdGate: Promise<void> | undefined;
  readonly registrations: KosekiRegistrationRequest[] = [];
  registrationAnswer: CentreResult<KosekiRegistrationResponse> = {
    ok: true,
    value: {
      requestId: 'R00000000001',
      status: 'pending',
      municipality: { code: '452025', name: '都城市' },
      filedAt: '2026-04-01T10:00:00+09:00',
    },
  };
  constructor(private readonly menu: AuthenticateResponse) {}
  challenge = async () =>
    ({
      ok: true,
      value: { challenge: Buffer.alloc(32, 7).toString('base64'), expiresAt: '2030-01-01T00:00:00Z' },
    }) as const;
  authenticate = async () => ({ ok: true, value: this.menu }) as const;
  issue = async (request: IssueRequest) => {
    this.issued.push(request);
    // Stop here: the document path (binding, seal, PDF) has its own tests.
    return { ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } } as const;
  };
  householdMembers = async (request: HouseholdMembersRequest) => {
    this.householdAsked.push(request);
    await this.householdGate;
    return this.householdAnswer;
  };
  kosekiRegistration = async (request: KosekiRegistrationRequest) => {
    this.registrations.push(request);
    return this.registrationAnswer;
  };
  delivery = async (transactionId: string, request: DeliveryRequest) =>
    ({
      ok: true,
      value: { transactionId, billing: 'voided', copies: request.copies, feeYenTotal: 0 },
    }) as const;
  municipalityKeys = async (): Promise<CentreResult<SignedKeyList>> => ({
    ok: false,
    failure: { kind: 'centre-unreachable', detail: 'fake' },
  });
  close = async () => undefined;
}

let host: KioskHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function start(menu: AuthenticateResponse = MENU) {
  const centre = new FakeCentre(menu);
  const payment = new FakePaymentDevice();
  const events: TransactionEvent[] = [];
  host = createKioskHost(
    fakeServices(TX, {
      centre,
      payment,
      onTransactionEvent: (event) => events.push(event),
    }),
    { logger: createHostLogger({ level: 'silent' }) },
  );
  return { host, centre, events, payment };
}

type ConfirmView = Extract<KioskScreen, { screen: 'confirm' }>;

/** The confirm screen once `ready` holds for it (e.g. the household list has come). */
function waitForConfirm(h: KioskHost, ready: (view: ConfirmView) => boolean): Promise<ConfirmView> {
  return waitFor(h, 'confirm', ready);
}

describe('kiosk host: certificate options', () => {
  it('shows notices and the menu without the allowed options or 個人番号', async () => {
    const { host: h } = start();
    const menu = await toMenu(h);
    expect(menu.notices).toEqual(MENU.notices);
    expect(menu.registrationFiled).toBe(false);
    expect(JSON.stringify(menu)).not.toContain('myNumber');
    expect(menu.items[0]).toEqual({
      certificateType: 'juminhyo',
      available: true,
      feeYen: 200,
      maxCopies: 10,
    });
  });

  it('offers the allowed choices on confirm and sends the chosen ones with the issue request', async () => {
    const { host: h, centre, payment } = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
    let confirm = await waitFor(h, 'confirm');
    expect(confirm.options).toEqual({
      scope: { allowed: ['household', 'self', 'members'], chosen: 'household' },
      honseki: false,
      relationship: true,
    });
    expect(confirm.complete).toBe(true);

    expect(h.send({ type: 'set-scope', scope: 'members' })).toEqual({ accepted: true });
    confirm = await waitForConfirm(h, (c) => c.options?.members !== undefined);
    expect(confirm.options?.members).toEqual([
      { order: 1, name: '山田 太郎', chosen: false },
      { order: 2, name: '山田 花子', chosen: false },
    ]);
    expect(confirm.complete).toBe(false);
    // Nobody chosen: the resident cannot go on to payment.
    expect(h.send({ type: 'confirm' })).toEqual({ accepted: false, reason: 'bad-state' });
    // A member who is not in the household is refused.
    expect(h.send({ type: 'toggle-member', order: 5 })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(h.send({ type: 'toggle-member', order: 2 })).toEqual({ accepted: true });
    expect(h.send({ type: 'set-honseki', include: true })).toEqual({ accepted: true });
    expect(h.send({ type: 'set-relationship', include: false })).toEqual({ accepted: true });
    // Not a tax certificate: no year to choose.
    expect(h.send({ type: 'set-tax-year', year: 2025 })).toEqual({ accepted: false, reason: 'bad-state' });
    confirm = h.getSnapshot().view as typeof confirm;
    expect(confirm.options?.members?.map((m) => m.chosen)).toEqual([false, true]);
    expect(confirm.complete).toBe(true);

    h.send({ type: 'confirm' });
    await waitFor(h, 'payment');
    payment.insert(500);
    await waitFor(h, 'error');
    expect(centre.issued).toHaveLength(1);
    expect(centre.issued[0]?.options).toEqual({
      scope: 'members',
      members: [2],
      includeHonseki: true,
      includeRelationship: false,
    });
  });

  it('asks the centre for the household only when the resident chooses members, and shows it loading', async () => {
    const { host: h, centre } = start();
    const seen: string[] = [];
    h.onSnapshot((snapshot) => seen.push(JSON.stringify(snapshot)));
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
    await waitFor(h, 'confirm');
    h.send({ type: 'set-scope', scope: 'self' });
    h.send({ type: 'set-scope', scope: 'household' });
    // Menu, confirm and the other scopes: no name has left the centre, none is on screen.
    expect(centre.householdAsked).toEqual([]);
    expect(seen.join('\n')).not.toContain('山田');

    let answer = () => undefined as void;
    centre.householdGate = new Promise<void>((resolve) => (answer = resolve));
    h.send({ type: 'set-scope', scope: 'members' });
    const loading = await waitForConfirm(h, (c) => c.options?.membersStatus === 'loading');
    expect(loading.options?.members).toBeUndefined();
    expect(loading.complete).toBe(false);
    expect(h.send({ type: 'confirm' })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(h.send({ type: 'toggle-member', order: 1 })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(centre.householdAsked).toEqual([
      { transactionId: TX, terminalId: 'S0001-T01', certificateType: 'juminhyo' },
    ]);
    answer();
    const loaded = await waitForConfirm(h, (c) => c.options?.members !== undefined);
    expect(loaded.options?.membersStatus).toBeUndefined();
    expect(loaded.options?.members?.map((m) => m.name)).toEqual(['山田 太郎', '山田 花子']);

    // Kept for this transaction: back to the whole household and to members again asks nothing more.
    h.send({ type: 'set-scope', scope: 'household' });
    h.send({ type: 'set-scope', scope: 'members' });
    await waitForConfirm(h, (c) => c.options?.members !== undefined);
    expect(centre.householdAsked).toHaveLength(1);
  });

  it('says kindly when the household cannot be fetched, and fetches again when members is chosen again', async () => {
    const { host: h, centre } = start();
    centre.householdAnswer = { ok: false, failure: { kind: 'centre-unreachable', detail: 'fake' } };
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
    await waitFor(h, 'confirm');
    h.send({ type: 'set-scope', scope: 'members' });
    const failed = await waitForConfirm(h, (c) => c.options?.membersStatus === 'failed');
    expect(failed.complete).toBe(false);
    // Another scope still works.
    expect(h.send({ type: 'set-scope', scope: 'self' })).toEqual({ accepted: true });
    expect((await waitForConfirm(h, (c) => c.options?.scope?.chosen === 'self')).complete).toBe(true);

    centre.householdAnswer = { ok: true, value: HOUSEHOLD };
    h.send({ type: 'set-scope', scope: 'members' });
    await waitForConfirm(h, (c) => c.options?.members?.length === 2);
    expect(centre.householdAsked).toHaveLength(2);
  });

  it('ends on the error screen when the centre refuses the household (session over)', async () => {
    const { host: h, centre } = start();
    centre.householdAnswer = {
      ok: false,
      failure: { kind: 'centre-error', code: 'not-authenticated', status: 401 },
    };
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'juminhyo' });
    await waitFor(h, 'confirm');
    h.send({ type: 'set-scope', scope: 'members' });
    const error = await waitFor(h, 'error');
    expect(JSON.stringify(error)).not.toContain('山田');
    expect(centre.issued).toEqual([]);
  });

  it('chooses the fiscal year of a tax certificate', async () => {
    const { host: h, centre, payment } = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'shotoku-kazei' });
    const confirm = await waitFor(h, 'confirm');
    expect(confirm.options).toEqual({ taxYear: { allowed: [2025, 2024], chosen: 2025 } });
    expect(h.send({ type: 'set-scope', scope: 'self' })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(h.send({ type: 'set-tax-year', year: 2019 })).toEqual({ accepted: false, reason: 'bad-state' });
    expect(h.send({ type: 'set-tax-year', year: 2024 })).toEqual({ accepted: true });
    h.send({ type: 'confirm' });
    await waitFor(h, 'payment');
    payment.insert(500);
    await waitFor(h, 'error');
    expect(centre.issued[0]?.options).toEqual({ taxYear: 2024 });
    // The fee the menu showed travels with the request: the centre refuses if it changed since.
    expect(centre.issued[0]?.quotedFeeYen).toBe(300);
  });

  it('sends no options for a certificate without choices (0.1 behaviour)', async () => {
    const { host: h, centre, payment } = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    const confirm = await waitFor(h, 'confirm');
    expect(confirm.options).toBeUndefined();
    h.send({ type: 'confirm' });
    await waitFor(h, 'payment');
    payment.insert(500);
    await waitFor(h, 'error');
    expect(centre.issued[0]).not.toHaveProperty('options');
  });
});

describe('kiosk host: 利用登録 from the menu', () => {
  it('files the request, shows the 本籍地 that decides, and marks the menu', async () => {
    const { host: h, centre, events } = start();
    await toMenu(h);
    expect(h.send({ type: 'request-koseki-registration' })).toEqual({ accepted: true });
    await waitFor(h, 'registration-confirm');
    // 戻る returns to the menu without filing.
    h.send({ type: 'back-to-menu' });
    await waitFor(h, 'menu');
    expect(centre.registrations).toEqual([]);

    h.send({ type: 'request-koseki-registration' });
    await waitFor(h, 'registration-confirm');
    h.send({ type: 'confirm' });
    const done = await waitFor(h, 'registration-done');
    expect(done).toEqual({
      screen: 'registration-done',
      municipalityName: '都城市',
      status: 'pending',
      requestId: 'R00000000001',
    });
    expect(centre.registrations).toEqual([{ transactionId: TX, terminalId: 'S0001-T01' }]);
    expect(events).toContainEqual({
      kind: 'registration-filed',
      transactionId: TX,
      requestId: 'R00000000001',
      status: 'pending',
    });

    h.send({ type: 'back-to-menu' });
    const menu = await waitFor(h, 'menu');
    expect(menu.registrationFiled).toBe(true);
    // Filed once per session.
    expect(h.send({ type: 'request-koseki-registration' })).toEqual({ accepted: false, reason: 'bad-state' });
    // 中止 ends the session with the neutral 「中止しました」 screen.
    h.send({ type: 'cancel' });
    expect(await waitFor(h, 'error')).toEqual({ screen: 'error', error: 'cancelled' });
    h.send({ type: 'finish' });
    await waitFor(h, 'welcome');
  });

  it('is refused when no 戸籍 item waits for it', async () => {
    const { host: h } = start({
      ...MENU,
      menu: MENU.menu.filter((i) => i.certificateType !== 'koseki-zenbu'),
    });
    await toMenu(h);
    expect(h.send({ type: 'request-koseki-registration' })).toEqual({ accepted: false, reason: 'bad-state' });
  });

  it('ends on the error screen when the centre refuses', async () => {
    const { host: h, centre } = start();
    centre.registrationAnswer = {
      ok: false,
      failure: { kind: 'centre-error', code: 'certificate-not-offered', status: 403 },
    };
    await toMenu(h);
    h.send({ type: 'request-koseki-registration' });
    await waitFor(h, 'registration-confirm');
    h.send({ type: 'confirm' });
    const error = await waitFor(h, 'error');
    expect(error.error).toBe('certificate-not-offered');
    expect(error.refundedYen).toBeUndefined();
  });
});

describe('kiosk host: payment', () => {
  async function toPayment(h: KioskHost) {
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    await waitFor(h, 'confirm');
    h.send({ type: 'confirm' });
    return waitFor(h, 'payment');
  }

  it('refuses the old insert-money intent: the page cannot create money', async () => {
    const { host: h, events, payment } = start();
    const view = await toPayment(h);
    expect(view.accepts).toEqual([10, 50, 100, 500, 1000]);
    expect(h.send({ type: 'insert-money', yen: 1000 })).toEqual({ accepted: false, reason: 'invalid' });
    expect(h.send({ type: 'insert-money', yen: 10_000 })).toEqual({ accepted: false, reason: 'invalid' });
    expect((h.getSnapshot().view as Extract<KioskScreen, { screen: 'payment' }>).paidYen).toBe(0);
    expect(events.some((e) => e.kind === 'paid')).toBe(false);
    // Only the device's credit counts.
    payment.insert(100);
    expect(await waitFor(h, 'payment')).toMatchObject({ paidYen: 100, totalYen: 200 });
  });

  it('pays the change out of the device and records it with the payment', async () => {
    const { host: h, events, payment } = start();
    await toPayment(h);
    payment.insert(500);
    await waitForRefund(h); // the fake centre refuses to issue: the fee is refunded too
    expect(events.find((e) => e.kind === 'paid')).toMatchObject({
      kind: 'paid',
      transactionId: TX,
      yen: 500,
      changeYen: 300,
      owedYen: 0,
      certificateType: 'inkan',
      copies: 1,
      quotedFeeYen: 200,
    });
    expect(payment.payouts.map((p) => p.paidYen)).toEqual([300, 200]);
    expect(events.find((e) => e.kind === 'refunded')).toEqual({
      kind: 'refunded',
      transactionId: TX,
      yen: 200,
    });
  });

  it('returns every inserted coin when the resident cancels', async () => {
    const { host: h, events, payment } = start();
    await toPayment(h);
    payment.insert(100);
    payment.insert(50);
    await waitFor(h, 'payment');
    expect(h.send({ type: 'cancel' })).toEqual({ accepted: true });
    const error = await waitForRefund(h);
    expect(error).toMatchObject({ error: 'cancelled', refundedYen: 150 });
    expect(error.owedYen).toBeUndefined();
    expect(payment.payouts.map((p) => p.paidYen)).toEqual([150]);
    expect(payment.accepting).toBeNull();
    expect(events.filter((e) => e.kind === 'refunded')).toEqual([
      { kind: 'refunded', transactionId: TX, yen: 150 },
    ]);
  });

  it('records the change it could not pay as owed when the tubes are empty', async () => {
    const { host: h, events, payment } = start();
    await toPayment(h);
    payment.tubes = { 10: 0, 50: 0, 100: 1, 500: 0 };
    payment.insert(500);
    await waitFor(h, 'error');
    expect(events.find((e) => e.kind === 'paid')).toMatchObject({ yen: 500, changeYen: 100, owedYen: 200 });
    expect(events).toContainEqual({ kind: 'owed', transactionId: TX, yen: 200, reason: 'change' });
  });

  it('stops on a jam and returns what was credited', async () => {
    const { host: h, payment } = start();
    await toPayment(h);
    payment.insert(100);
    await waitFor(h, 'payment');
    payment.fault('jam');
    expect(await waitForRefund(h)).toMatchObject({ error: 'payment-jammed', refundedYen: 100 });
  });

  it('records the money as owed when the device goes offline mid-payment', async () => {
    const { host: h, events, payment } = start();
    await toPayment(h);
    payment.insert(100);
    await waitFor(h, 'payment');
    payment.fault('offline');
    const error = await waitForRefund(h);
    expect(error).toMatchObject({ error: 'payment-unavailable', owedYen: 100 });
    expect(error.refundedYen).toBeUndefined();
    expect(events).toContainEqual({ kind: 'owed', transactionId: TX, yen: 100, reason: 'refund' });
  });

  it('refuses to open payment when the device is offline', async () => {
    const { host: h, payment } = start();
    payment.offline = true;
    await toPayment(h).catch(() => undefined);
    expect(await waitFor(h, 'error')).toMatchObject({ error: 'payment-unavailable' });
  });
});

describe('kiosk host: transaction events after an issuing failure', () => {
  it('reports the failure once, then the refund once the device has paid it back', async () => {
    const { host: h, events, payment } = start();
    await toMenu(h);
    h.send({ type: 'choose-certificate', certificateType: 'inkan' });
    await waitFor(h, 'confirm');
    h.send({ type: 'confirm' });
    await waitFor(h, 'payment');
    payment.insert(100);
    payment.insert(100);
    await waitForRefund(h);
    expect(events.filter((e) => e.kind === 'failed')).toEqual([
      expect.objectContaining({ kind: 'failed', transactionId: TX, error: 'centre-unreachable' }),
    ]);
    expect(events.filter((e) => e.kind === 'refunded')).toEqual([
      { kind: 'refunded', transactionId: TX, yen: 200 },
    ]);
  });
});

/** The error screen once the refund step has finished (refunded or owed, or nothing to return). */
async function waitForRefund(h: KioskHost): Promise<Extract<KioskScreen, { screen: 'error' }>> {
  for (let i = 0; i < 200; i++) {
    const view = h.getSnapshot().view;
    if (view.screen === 'error' && view.refunding !== true) return view;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no refund; at ${JSON.stringify(h.getSnapshot().view)}`);
}
