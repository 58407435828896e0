// @vitest-environment jsdom
/**
 * The operator's recovery list against a fake host: each transaction recovery resolved at start,
 * by 受付番号 and time, with what recovery did, in Japanese and English; a plain line when none.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KioskScreen, OperatorLanguage } from '../../../../electron/kiosk-api.ts';
import { App } from '../../App.tsx';
import { createKioskI18n } from '../../i18n/index.ts';
import { createKioskStore } from '../../store.ts';
import { FakeKiosk } from '../../test-support/fake-kiosk.ts';

function operatorView(
  language: OperatorLanguage,
  recovered: Extract<KioskScreen, { screen: 'operator' }>['recovered'],
): KioskScreen {
  return {
    screen: 'operator',
    language,
    status: null,
    counts: null,
    recovered,
    selfTests: [],
    outOfService: null,
  };
}

async function mount(view: KioskScreen) {
  const kiosk = new FakeKiosk({ transactionId: null, language: 'ja', view });
  const { store } = createKioskStore(kiosk);
  render(<App store={store} i18n={createKioskI18n('ja')} />);
  await screen.findByTestId('screen-operator');
}

const RECOVERED = [
  { receiptNumber: '04711234', startedAt: '2026-12-02T01:00:00.000Z', action: 'reprinted' as const },
  {
    receiptNumber: '55501234',
    startedAt: '2026-12-02T01:05:00.000Z',
    action: 'refund-due' as const,
    yen: 450,
  },
  { receiptNumber: '90000001', startedAt: '2026-12-02T01:09:00.000Z', action: 'refunded' as const, yen: 200 },
];

afterEach(() => cleanup());

describe("the operator's recovery list", () => {
  it('lists each recovered transaction with its 受付番号 and what recovery did, in Japanese', async () => {
    await mount(operatorView('ja', RECOVERED));
    const rows = within(screen.getByTestId('operator-recovery')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-action'))).toEqual(['reprinted', 'refund-due', 'refunded']);
    expect(rows[0]?.textContent).toContain('04711234');
    expect(rows[0]?.textContent).toContain('再印刷しました');
    expect(rows[1]?.textContent).toContain('返金待ち 450円');
    expect(rows[2]?.textContent).toContain('返金済み 200円');
    expect(screen.getByRole('heading', { name: '起動時の復旧' })).toBeTruthy();
  });

  it('speaks English when the operator chose it, and says so when nothing needed recovery', async () => {
    await mount(operatorView('en', RECOVERED.slice(1, 2)));
    expect(screen.getByTestId('operator-recovery').textContent).toContain('Refund due: 450 yen');
    expect(screen.getByRole('columnheader', { name: 'Receipt number' })).toBeTruthy();
    cleanup();
    await mount(operatorView('en', []));
    expect(screen.queryByTestId('operator-recovery')).toBeNull();
    expect(screen.getByTestId('operator-recovery-none').textContent).toBe('No transaction needed recovery');
  });
});
