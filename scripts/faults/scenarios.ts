/**
 * What the fault test kills and when: a victim (the kiosk host, the centre, the payment
 * simulator or the printer) at a step boundary of the transaction (the moment the kiosk's
 * journal holds that step), or at a random time after the transaction starts (seeded, so a
 * failing row can be replayed with the same `--seed`).
 */

import { DELIVERY_STEPS } from '../../electron/journal/journal.ts';

export const VICTIMS = ['host', 'centre', 'payment', 'printer'] as const;
export type Victim = (typeof VICTIMS)[number];

/** The journal's steps of one transaction, in order. */
export const BOUNDARIES = DELIVERY_STEPS;
/** Also a kill point for the payment simulator: a coin is in, the fee not yet covered. */
export const MID_PAYMENT = 'credit';
export type KillPoint = (typeof BOUNDARIES)[number] | typeof MID_PAYMENT;

export type Scenario =
  | { victim: Victim; kind: 'boundary'; at: KillPoint }
  | { victim: Victim; kind: 'random'; afterMs: number; seed: number; index: number };

/** Every boundary for the victim (the payment simulator also mid-payment, after a coin). */
export function boundaryScenarios(victim: Victim): Scenario[] {
  const points: KillPoint[] =
    victim === 'payment'
      ? ['created', 'authenticated', MID_PAYMENT, ...BOUNDARIES.slice(2)]
      : [...BOUNDARIES];
  return points.map((at) => ({ victim, kind: 'boundary', at }));
}

/**
 * The CI-sized selection: every host boundary, and for each other victim the boundary where its
 * death matters most (centre before issue, printer before the job, payment mid-payment).
 */
export function ciScenarios(): Scenario[] {
  return [
    ...boundaryScenarios('host'),
    { victim: 'centre', kind: 'boundary', at: 'paid' },
    { victim: 'printer', kind: 'boundary', at: 'issued' },
    { victim: 'payment', kind: 'boundary', at: MID_PAYMENT },
  ];
}

/** mulberry32: a small seeded generator, so a random kill can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` kills at random times within `spanMs` of the transaction's start, victims drawn from `victims`. */
export function randomScenarios(
  count: number,
  seed: number,
  victims: readonly Victim[],
  spanMs: number,
): Scenario[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    victim: victims[Math.floor(next() * victims.length)] as Victim,
    kind: 'random' as const,
    afterMs: Math.round(next() * spanMs),
    seed,
    index,
  }));
}

export function describeKillPoint(scenario: Scenario): string {
  return scenario.kind === 'boundary'
    ? scenario.at
    : `random +${scenario.afterMs} ms (seed ${scenario.seed} #${scenario.index})`;
}
