/**
 * The operator's self-tests, each ending in pass or fail with a code: a test page through the real
 * printer path; the reader (a card placed within the wait: only its type — a My Number Card or
 * another card — is read, by selecting the JPKI application, never a certificate or a PIN); the
 * payment device (it answers, is online, and takes the inhibit command).
 */
import type { OperatorSelfTest } from '../kiosk-api.ts';
import type { CardPort } from '../host/card-port.ts';
import type { SelfTestResult } from '../host/operator-mode.ts';
import type { PaymentDevice } from '../payment/payment-port.ts';
import type { Printer } from '../printer/printer.ts';
import { renderTestPage } from './test-page.ts';

export interface SelfTestParts {
  printer: Printer;
  cardPort: CardPort;
  payment: PaymentDevice;
  terminalId: string;
  /** How long the reader test waits for a card (default 15 s). */
  readerWaitMs?: number;
  now?: () => Date;
}

export async function printerSelfTest(parts: SelfTestParts): Promise<SelfTestResult> {
  const printedAt = (parts.now ?? (() => new Date()))();
  const page = await renderTestPage({ terminalId: parts.terminalId, printedAt });
  if (!page.ok) return { pass: false, detail: `test-page-${page.problem}` };
  const result = await parts.printer.print(page.pdf, {
    jobName: `selftest-${printedAt.getTime()}`,
    copies: 1,
  });
  return result.ok ? { pass: true, detail: 'printed' } : { pass: false, detail: result.failure.kind };
}

export async function readerSelfTest(parts: SelfTestParts): Promise<SelfTestResult> {
  const state = parts.cardPort.readerState();
  if (state !== 'ready') return { pass: false, detail: state };
  const wait = AbortSignal.timeout(parts.readerWaitMs ?? 15_000);
  const card = await parts.cardPort.waitForCard(wait);
  if (!card.ok) {
    const kind = card.failure.kind;
    return { pass: false, detail: kind === 'timeout' ? 'no-card' : kind };
  }
  try {
    const prepared = await card.value.prepare();
    if (prepared.ok) return { pass: true, detail: 'my-number-card' };
    if (prepared.failure.kind === 'card-unsupported') return { pass: true, detail: 'other-card' };
    return { pass: false, detail: prepared.failure.kind };
  } finally {
    await card.value.release();
  }
}

export async function paymentSelfTest(parts: SelfTestParts): Promise<SelfTestResult> {
  const status = await parts.payment.status();
  if (!status.ok) return { pass: false, detail: status.failure.kind };
  if (!status.value.online) return { pass: false, detail: 'offline' };
  const stopped = await parts.payment.stopAccepting();
  if (!stopped.ok) return { pass: false, detail: stopped.failure.kind };
  const faults = status.value.faults.filter((f) => f !== 'change-empty');
  return faults.length === 0 ? { pass: true, detail: 'online' } : { pass: false, detail: faults.join(',') };
}

export function runSelfTest(parts: SelfTestParts, test: OperatorSelfTest): Promise<SelfTestResult> {
  switch (test) {
    case 'printer':
      return printerSelfTest(parts);
    case 'reader':
      return readerSelfTest(parts);
    case 'payment':
      return paymentSelfTest(parts);
  }
}
