/**
 * Drives the kiosk host through window.kiosk-style intents, as the renderer does: used by
 * `npm run issue` and by tests that run whole transactions without a browser.
 */
import type { CertificateType, HouseholdScope } from '../../protocol/index.ts';
import type { KioskIntent, KioskScreen, KioskSnapshot } from '../../electron/kiosk-api.ts';
import type { KioskHost } from '../../electron/host/kiosk-host.ts';

export type ScreenName = KioskScreen['screen'];

export class DriveError extends Error {
  override readonly name = 'DriveError';
}

/** Resolves with the first snapshot (current or later) whose screen is one of `screens`. */
export function waitForScreen(
  host: KioskHost,
  screens: readonly ScreenName[],
  timeoutMs = 60_000,
): Promise<KioskSnapshot> {
  return new Promise((resolve, reject) => {
    const current = host.getSnapshot();
    if (screens.includes(current.view.screen)) {
      resolve(current);
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(
        new DriveError(
          `timed out waiting for ${screens.join('|')}; screen is ${host.getSnapshot().view.screen}`,
        ),
      );
    }, timeoutMs);
    const unsubscribe = host.onSnapshot((snapshot) => {
      if (!screens.includes(snapshot.view.screen)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
    });
  });
}

/** Resolves with the first snapshot (current or later) that `matches`. */
export function waitForSnapshot(
  host: KioskHost,
  matches: (snapshot: KioskSnapshot) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<KioskSnapshot> {
  return new Promise((resolve, reject) => {
    if (matches(host.getSnapshot())) {
      resolve(host.getSnapshot());
      return;
    }
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new DriveError(`timed out waiting for ${what}; screen is ${host.getSnapshot().view.screen}`));
    }, timeoutMs);
    const unsubscribe = host.onSnapshot((snapshot) => {
      if (!matches(snapshot)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(snapshot);
    });
  });
}

/** Puts a coin or note into the payment device's slot (the simulator's control port): not an intent. */
export type InsertMoney = (yen: number) => Promise<unknown>;

/**
 * Pays the fee on the payment screen as a resident does: 1000円 notes while the slot takes them,
 * else the largest coin it takes; each time waits until the device's credit shows on screen.
 */
export async function payAtSlot(
  host: KioskHost,
  insertMoney: InsertMoney,
  timeoutMs = 30_000,
): Promise<void> {
  for (;;) {
    const snapshot = await waitForSnapshot(
      host,
      (s) => s.view.screen !== 'payment' || s.view.accepts.length > 0 || s.view.paidYen >= s.view.totalYen,
      'the slot to open',
      timeoutMs,
    );
    const view = snapshot.view;
    if (view.screen !== 'payment' || view.paidYen >= view.totalYen) return;
    const yen = view.accepts.includes(1000) ? 1000 : Math.max(...view.accepts);
    await insertMoney(yen);
    await waitForSnapshot(
      host,
      (s) => s.view.screen !== 'payment' || s.view.paidYen > view.paidYen,
      `credit for ${yen}円`,
      timeoutMs,
    );
  }
}

function send(host: KioskHost, intent: KioskIntent): void {
  const result = host.send(intent);
  if (!result.accepted) throw new DriveError(`intent ${intent.type} refused (${result.reason})`);
}

/** 中止 as a resident presses it: the neutral 「中止しました」 screen, then 終了 back to the welcome screen. */
export async function cancelSession(host: KioskHost): Promise<void> {
  send(host, { type: 'cancel' });
  await waitForScreen(host, ['error']);
  send(host, { type: 'finish' });
  await waitForScreen(host, ['welcome']);
}

export type TransactionOutcome =
  | { kind: 'printed'; transactionId: string; changeYen: number }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'error'; snapshot: KioskSnapshot }
  | { kind: 'not-available'; reason: string };

/** What the resident picks on the confirm screen; absent = the screen's defaults. */
export interface OptionRequest {
  scope?: HouseholdScope;
  /** With scope `members`: positions on the 住民票. */
  members?: number[];
  includeHonseki?: boolean;
  includeRelationship?: boolean;
  taxYear?: number;
}

/**
 * Why the confirm screen cannot take a requested choice (the municipality's rules leave it out),
 * or undefined when every choice is offered.
 */
export function refusedOption(view: KioskScreen, options: OptionRequest): string | undefined {
  if (view.screen !== 'confirm') return undefined;
  const offered = view.options ?? {};
  if (options.scope !== undefined && !(offered.scope?.allowed ?? []).includes(options.scope))
    return `the scope ${options.scope} is not offered for ${view.certificateType} by this municipality`;
  // The household to choose from appears once the scope `members` is set; before that, the scope offer says it.
  if (options.members !== undefined && !(offered.scope?.allowed ?? []).includes('members'))
    return `choosing members is not offered for ${view.certificateType} by this municipality`;
  if (options.includeHonseki !== undefined && offered.honseki === undefined)
    return `本籍・筆頭者 on the ${view.certificateType} is not offered by this municipality (its rules do not allow it)`;
  if (options.includeRelationship !== undefined && offered.relationship === undefined)
    return `the choice of 世帯主・続柄 is not offered for ${view.certificateType} by this municipality`;
  if (options.taxYear !== undefined && !(offered.taxYear?.allowed ?? []).includes(options.taxYear))
    return `the fiscal year ${options.taxYear} is not available (offered: ${(offered.taxYear?.allowed ?? []).join(', ') || 'none'})`;
  return undefined;
}

/**
 * Taps the confirm screen's choices, as the renderer does. Choosing scope `members` makes the host
 * ask the centre for the household (authentication carries no names): the members are tapped once
 * the list is on screen. Answers why a choice could not be made, or undefined.
 */
async function chooseOptions(host: KioskHost, options: OptionRequest): Promise<string | undefined> {
  if (options.scope !== undefined) send(host, { type: 'set-scope', scope: options.scope });
  if (options.members !== undefined) {
    if (options.scope !== 'members') send(host, { type: 'set-scope', scope: 'members' });
    const listed = await waitForSnapshot(
      host,
      (s) =>
        s.view.screen !== 'confirm' ||
        s.view.options?.members !== undefined ||
        s.view.options?.membersStatus === 'failed',
      'the household list',
    );
    if (listed.view.screen !== 'confirm') return `the session ended while the household list was fetched`;
    if (listed.view.options?.membersStatus === 'failed')
      return 'the centre could not send the household list';
    const orders = (listed.view.options?.members ?? []).map((m) => m.order);
    const missing = options.members.filter((order) => !orders.includes(order));
    if (missing.length > 0)
      return `no household member at position ${missing.join(', ')} (the household has ${orders.length})`;
    for (const order of options.members) send(host, { type: 'toggle-member', order });
  }
  if (options.includeHonseki !== undefined)
    send(host, { type: 'set-honseki', include: options.includeHonseki });
  if (options.includeRelationship !== undefined)
    send(host, { type: 'set-relationship', include: options.includeRelationship });
  if (options.taxYear !== undefined) send(host, { type: 'set-tax-year', year: options.taxYear });
  return undefined;
}

/**
 * Presses 証明書の交付. Right after a session ends the page already shows the welcome screen while
 * the host still releases the card; a press then is refused, so try again briefly, as a resident would.
 */
async function start(host: KioskHost, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = host.send({ type: 'start' });
    if (result.accepted) return;
    if (
      result.reason !== 'bad-state' ||
      host.getSnapshot().view.screen !== 'welcome' ||
      Date.now() > deadline
    )
      throw new DriveError(`intent start refused (${result.reason})`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Start, card and PIN up to the menu (or what came instead). */
async function signIn(
  host: KioskHost,
  pin: string,
): Promise<
  | { kind: 'menu'; snapshot: KioskSnapshot; transactionId: string }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'error'; snapshot: KioskSnapshot }
> {
  if (!/^[0-9]{4}$/.test(pin)) throw new DriveError('the PIN is 4 digits');
  await start(host);
  let snapshot = await waitForScreen(host, ['pin-entry', 'error']);
  if (snapshot.view.screen === 'error') return { kind: 'error', snapshot };
  const transactionId = snapshot.transactionId as string;
  for (const digit of pin) send(host, { type: 'pin-digit', digit: Number(digit) });
  send(host, { type: 'pin-submit' });
  snapshot = await waitForScreen(host, ['menu', 'error', 'pin-entry']);
  if (snapshot.view.screen === 'pin-entry') {
    const triesLeft = snapshot.view.triesLeft ?? 0;
    await cancelSession(host);
    return { kind: 'wrong-pin', triesLeft };
  }
  if (snapshot.view.screen !== 'menu') return { kind: 'error', snapshot };
  return { kind: 'menu', snapshot, transactionId };
}

export type RegistrationOutcome =
  | { kind: 'filed'; transactionId: string; requestId: string; status: string; municipalityName: string }
  | { kind: 'wrong-pin'; triesLeft: number }
  | { kind: 'error'; snapshot: KioskSnapshot }
  | { kind: 'not-needed' };

/** Files the 利用登録 with the 本籍地 from the menu, as a resident does on the kiosk, then ends. */
export async function fileKosekiRegistration(host: KioskHost, pin: string): Promise<RegistrationOutcome> {
  const signedIn = await signIn(host, pin);
  if (signedIn.kind !== 'menu') return signedIn;
  const view = signedIn.snapshot.view;
  const needed =
    view.screen === 'menu' &&
    view.items.some((i) => !i.available && i.reason === 'registration-needed') &&
    view.registrationFiled !== true;
  if (!needed) {
    await cancelSession(host);
    return { kind: 'not-needed' };
  }
  send(host, { type: 'request-koseki-registration' });
  await waitForScreen(host, ['registration-confirm']);
  send(host, { type: 'confirm' });
  const snapshot = await waitForScreen(host, ['registration-done', 'error']);
  if (snapshot.view.screen !== 'registration-done') return { kind: 'error', snapshot };
  const { requestId, status, municipalityName } = snapshot.view;
  send(host, { type: 'finish' });
  await waitForScreen(host, ['welcome']);
  return { kind: 'filed', transactionId: signedIn.transactionId, requestId, status, municipalityName };
}

/** One whole transaction: start, PIN, certificate, choices, copies, pay at the device's slot, print. */
export async function runTransaction(
  host: KioskHost,
  request: { pin: string; certificateType: CertificateType; copies: number; options?: OptionRequest },
  insertMoney: InsertMoney,
): Promise<TransactionOutcome> {
  const signedIn = await signIn(host, request.pin);
  if (signedIn.kind !== 'menu') return signedIn;
  const { transactionId } = signedIn;
  let snapshot = signedIn.snapshot;
  if (snapshot.view.screen !== 'menu') return { kind: 'error', snapshot };

  const item = snapshot.view.items.find((i) => i.certificateType === request.certificateType);
  if (!item || !item.available) {
    await cancelSession(host);
    return { kind: 'not-available', reason: item && !item.available ? item.reason : 'not-offered' };
  }
  send(host, { type: 'choose-certificate', certificateType: request.certificateType });
  const confirm = await waitForScreen(host, ['confirm']);
  const refused = request.options && refusedOption(confirm.view, request.options);
  if (refused) {
    await cancelSession(host);
    return { kind: 'not-available', reason: refused };
  }
  const unchosen = request.options && (await chooseOptions(host, request.options));
  if (unchosen) {
    if (host.getSnapshot().view.screen === 'confirm') {
      await cancelSession(host);
      return { kind: 'not-available', reason: unchosen };
    }
    return { kind: 'error', snapshot: await waitForScreen(host, ['error']) };
  }
  if (request.copies !== 1) send(host, { type: 'set-copies', copies: request.copies });
  send(host, { type: 'confirm' });
  await waitForScreen(host, ['payment']);
  await payAtSlot(host, insertMoney);
  snapshot = await waitForScreen(host, ['done', 'error'], 180_000);
  if (snapshot.view.screen === 'error') return { kind: 'error', snapshot };
  const changeYen = snapshot.view.screen === 'done' ? snapshot.view.changeYen : 0;
  send(host, { type: 'finish' });
  await waitForScreen(host, ['welcome']);
  return { kind: 'printed', transactionId, changeYen };
}
