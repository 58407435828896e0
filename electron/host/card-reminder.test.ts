/**
 * After printing: while the card is still on the reader, the done screen reminds the resident to
 * take it, again every `cardReminderMs`, until it is taken; a done screen that times out counts
 * what was left (the card on the reader, a document nobody confirmed taking). The session's timers
 * run on xstate's SimulatedClock: nothing here waits for real time.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor, type SnapshotFrom } from 'xstate';
import type { KioskScreen } from '../kiosk-api.ts';
import { FakePaymentDevice } from '../payment/fake-payment-device.ts';
import type { CardPort } from './card-port.ts';
import type { issueDocument, IssueResult } from './issue-document.ts';
import { viewOf } from './kiosk-host.ts';
import { DEFAULT_TIMEOUTS, sessionMachine, type TransactionEvent } from './session-machine.ts';
import { fakeCardHandle, fakeCardPort, fakeCentre, fakePrinter, fakeServices } from './test-support/fakes.ts';

const TX = '0c7d9a52-3e1f-4b6a-8d2c-5f4e3a2b1c0d';
const REMINDER_MS = 5_000;
const DONE_MS = 30_000;

const card = fakeCardHandle();

/** A reader with the resident's card on it until the test takes it off. */
function readerWithCard() {
  let present = true;
  const removed = new Set<() => void>();
  const port: CardPort = fakeCardPort(card, {
    onCardRemoved: (listener) => {
      removed.add(listener);
      return () => removed.delete(listener);
    },
    cardPresent: () => present,
  });
  return {
    port,
    take() {
      present = false;
      for (const listener of removed) listener();
    },
  };
}

const printer = fakePrinter({ print: async () => ({ ok: true, jobId: '7' }) });

const centre = fakeCentre();

/** The document path (binding, seal, PDF) has its own tests: here the centre's document is a given. */
const issued = fromPromise<IssueResult, Parameters<typeof issueDocument>[0]>(async () => ({
  ok: true,
  pdf: new TextEncoder().encode('%PDF-1.7 test'),
  documentId: 'D-1',
  pageCount: 1,
}));

type Session = ReturnType<typeof startSession>;

function startSession() {
  const reader = readerWithCard();
  const payment = new FakePaymentDevice();
  const events: TransactionEvent[] = [];
  const clock = new SimulatedClock();
  const actor = createActor(sessionMachine.provide({ actors: { issue: issued } }), {
    clock,
    input: {
      services: fakeServices(TX, {
        cardPort: reader.port,
        centre,
        printer,
        payment,
        onTransactionEvent: (event) => events.push(event),
      }),
      timeouts: { ...DEFAULT_TIMEOUTS, doneMs: DONE_MS, cardReminderMs: REMINDER_MS },
    },
  });
  reader.port.onCardRemoved(() => actor.send({ type: 'CARD_REMOVED' }));
  actor.start();
  return { actor, clock, reader, payment, events };
}

function view(session: Session): KioskScreen {
  return viewOf(session.actor.getSnapshot(), 'ready');
}

function leftBehind(session: Session): string[] {
  return session.events.flatMap((e) => (e.kind === 'left-behind' ? [e.item] : []));
}

/** A whole paid session up to the done screen; the card may leave the reader while the document prints. */
async function toDone(session: Session, options: { takeCardWhilePrinting?: boolean } = {}): Promise<void> {
  const { actor, payment } = session;
  const at = (value: string) => (s: SnapshotFrom<typeof sessionMachine>) => s.matches(value as never);
  actor.send({ type: 'START' });
  await waitFor(actor, at('pinEntry'));
  for (const digit of [1, 2, 3, 4]) actor.send({ type: 'PIN_DIGIT', digit });
  actor.send({ type: 'PIN_SUBMIT' });
  await waitFor(actor, at('menu'));
  actor.send({ type: 'CHOOSE', certificateType: 'inkan' });
  actor.send({ type: 'CONFIRM' });
  await waitFor(actor, (s) => s.matches('payment') && s.context.accepts.length > 0);
  if (options.takeCardWhilePrinting) {
    const watcher = actor.subscribe((s) => {
      if (!s.matches('printing')) return;
      watcher.unsubscribe();
      session.reader.take();
    });
  }
  payment.insert(100);
  payment.insert(100);
  await waitFor(actor, at('done'));
}

describe('after printing: the card left on the reader', () => {
  it('reminds at once and again on every interval until the card is taken', async () => {
    const session = startSession();
    await toDone(session);
    expect(view(session)).toMatchObject({ screen: 'done', cardReminder: 1 });

    session.clock.increment(REMINDER_MS - 1);
    expect(view(session)).toMatchObject({ cardReminder: 1 });
    session.clock.increment(1);
    expect(view(session)).toMatchObject({ cardReminder: 2 });
    session.clock.increment(REMINDER_MS);
    expect(view(session)).toMatchObject({ cardReminder: 3 });

    session.reader.take();
    const taken = view(session);
    expect(taken.screen).toBe('done');
    expect(taken).not.toHaveProperty('cardReminder');
    session.clock.increment(REMINDER_MS * 3);
    expect(view(session)).not.toHaveProperty('cardReminder');
  });

  it('shows no reminder when the card left the reader before the document was printed', async () => {
    const session = startSession();
    await toDone(session, { takeCardWhilePrinting: true });
    expect(view(session)).toEqual({ screen: 'done', changeYen: 0 });
  });

  it('counts the card and the document when the done screen times out, and keeps reminding until the card is taken', async () => {
    const session = startSession();
    await toDone(session);
    session.clock.increment(DONE_MS);
    expect(leftBehind(session).sort()).toEqual(['card', 'document']);
    // The session does not end on a card left on the reader: the reminder goes on.
    expect(session.actor.getSnapshot().matches('cardLeftBehind')).toBe(true);
    const reminders = (view(session) as { cardReminder?: number }).cardReminder ?? 0;
    session.clock.increment(REMINDER_MS);
    expect(view(session)).toMatchObject({ screen: 'done', cardReminder: reminders + 1 });

    session.reader.take();
    await waitFor(session.actor, (s) => s.matches('welcome'));
    expect(view(session)).toMatchObject({ screen: 'welcome' });
    expect(leftBehind(session).sort()).toEqual(['card', 'document']);
  });

  it('counts only the document when the card was taken but nobody confirmed taking the paper', async () => {
    const session = startSession();
    await toDone(session);
    session.reader.take();
    session.clock.increment(DONE_MS);
    await waitFor(session.actor, (s) => s.matches('welcome'));
    expect(leftBehind(session)).toEqual(['document']);
  });

  it('counts nothing when the resident takes the card and confirms (終了 = 受け取りました)', async () => {
    const session = startSession();
    await toDone(session);
    session.reader.take();
    session.actor.send({ type: 'FINISH' });
    await waitFor(session.actor, (s) => s.matches('welcome'));
    session.clock.increment(DONE_MS * 2);
    expect(leftBehind(session)).toEqual([]);
  });
});
