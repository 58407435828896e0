import { COIN_DENOMINATIONS, type CoinDenomination } from './payment-port.ts';

export type CoinLevels = Record<CoinDenomination, number>;
export type CoinPlan = Partial<Record<CoinDenomination, number>>;

/**
 * The fewest coins from the tubes that make exactly `yen`, or null when the tubes cannot make it.
 * Amounts are whole multiples of 10円 up to a few thousand, so a table over 10円 steps is small.
 */
export function exactChange(yen: number, levels: CoinLevels): CoinPlan | null {
  if (!Number.isInteger(yen) || yen < 0 || yen % 10 !== 0) return null;
  if (yen === 0) return {};
  const steps = yen / 10;
  // best[i] = fewest coins for i×10円 with the denominations considered so far, and how.
  let best: Array<{ coins: number; plan: CoinPlan } | null> = Array.from({ length: steps + 1 }, (_, i) =>
    i === 0 ? { coins: 0, plan: {} } : null,
  );
  for (const denomination of COIN_DENOMINATIONS) {
    const unit = denomination / 10;
    const next = best.slice();
    for (let i = 0; i <= steps; i++) {
      const base = best[i];
      if (!base) continue;
      for (let n = 1; n <= levels[denomination] && i + n * unit <= steps; n++) {
        const j = i + n * unit;
        const candidate = base.coins + n;
        const current = next[j];
        if (!current || candidate < current.coins)
          next[j] = { coins: candidate, plan: { ...base.plan, [denomination]: n } };
      }
    }
    best = next;
  }
  return best[steps]?.plan ?? null;
}

/** As much of `yen` as the tubes can pay, largest coins first (when the exact amount cannot be made). */
export function mostOf(yen: number, levels: CoinLevels): CoinPlan {
  const plan: CoinPlan = {};
  let rest = yen;
  for (const denomination of [...COIN_DENOMINATIONS].reverse()) {
    const n = Math.min(Math.floor(rest / denomination), levels[denomination]);
    if (n > 0) {
      plan[denomination] = n;
      rest -= n * denomination;
    }
  }
  return plan;
}

export function planYen(plan: CoinPlan): number {
  return COIN_DENOMINATIONS.reduce((sum, d) => sum + d * (plan[d] ?? 0), 0);
}
