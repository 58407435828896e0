import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreStores } from '../db/openRepository.ts';
import { BACKEND_SETUP_TIMEOUT_MS, databaseBackends } from '../test-support/backends.ts';
import {
  GRANT_LIFETIME_MS,
  MAX_WRONG_TRIES,
  newPassword,
  RESERVATION_MS,
  SIGNING_SESSION_MS,
  type OneTimePasswordStore,
} from './one-time-passwords.ts';

const binding = (name: string) => createHash('sha256').update(name).digest('hex');
const CARD_A = binding('card A');
const CARD_B = binding('card B');
const T0 = new Date('2026-12-02T09:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const grantFor = (cardBinding: string, mode: 'password' | 'bound-card' = 'password') => ({
  cardBinding,
  holderId: 'H0001',
  municipalityCode: '131016',
  mode,
});
/** A 4-digit-PIN grant with a kiosk transaction tied to it, as migration 16 kept them (columns of the grant). */
const CARD_TIED_BEFORE_MIGRATION_17 = binding('card tied before migration 17');
const GRANT_TIED_BEFORE_MIGRATION_17 = `INSERT INTO pin_reset_grants (card_binding, holder_id, municipality_code,
    mode, password_salt, password_hash, issued_at, expires_at, target, signing_session_tx,
    signing_session_terminal, signing_session_until)
  VALUES ('${CARD_TIED_BEFORE_MIGRATION_17}', 'H0002', '131016', 'password', '${'0'.repeat(32)}', '${'0'.repeat(64)}',
    ${T0.getTime()}, ${later(GRANT_LIFETIME_MS).getTime()}, 'auth', 'tx-before', 'KIOSK-9',
    ${later(SIGNING_SESSION_MS).getTime()})`;
/** A password that is not `password` (same format). */
const otherThan = (password: string) => String((Number(password) + 1) % 100_000_000).padStart(8, '0');

describe('newPassword', () => {
  it('is 8 digits and varies', () => {
    const seen = new Set(Array.from({ length: 50 }, () => newPassword()));
    for (const p of seen) expect(p).toMatch(/^[0-9]{8}$/);
    expect(seen.size).toBeGreaterThan(45);
  });
});

describe.each(databaseBackends())('OneTimePasswordStore on $name', (backend) => {
  let store: OneTimePasswordStore;
  let close: () => Promise<void>;
  let config: Awaited<ReturnType<typeof backend.fresh>>;

  beforeAll(async () => {
    await backend.setup();
    config = await backend.fresh();
    // Migration 16's schema with a signing session kept on its grant; opening migrates the rest.
    await backend.migrateTo(config, 16);
    await backend.query(config, GRANT_TIED_BEFORE_MIGRATION_17);
    const stores = await openCentreStores(config);
    store = stores.oneTimePasswords;
    close = () => stores.repository.close();
  }, BACKEND_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await close?.();
    await backend.teardown();
  });

  it('grants the right password once, for 24 hours, then answers used', async () => {
    const { password, expiresAt } = await store.issue(grantFor(CARD_A), T0);
    expect(password).toMatch(/^[0-9]{8}$/);
    expect(expiresAt).toBe(later(GRANT_LIFETIME_MS).toISOString());
    const first = await store.redeem({ cardBinding: CARD_A, password }, later(60_000));
    expect(first).toEqual({
      kind: 'granted',
      grant: { ...grantFor(CARD_A), target: 'signing', issuedAt: T0.toISOString(), expiresAt },
    });
    expect(await store.redeem({ cardBinding: CARD_A, password }, later(120_000))).toEqual({ kind: 'used' });
  });

  it('resets only the PIN the grant is for: the other PIN’s redeem finds no grant and counts no try', async () => {
    const card = binding('card for the 4-digit PIN');
    const { password } = await store.issue({ ...grantFor(card), target: 'auth' }, T0);
    const tx = { cardBinding: card, transactionId: 'tx-target' };
    expect(await store.reserve({ ...tx, password }, later(1000))).toEqual({ kind: 'no-grant' });
    expect(await store.reserve({ ...tx, password, target: 'signing' }, later(1000))).toEqual({
      kind: 'no-grant',
    });
    const reserved = await store.reserve({ ...tx, password, target: 'auth' }, later(2000));
    expect(reserved).toMatchObject({ kind: 'granted', grant: { target: 'auth' } });
    // A new face check with the 4-digit PIN replaces it with a grant for the signing PIN.
    const again = await store.issue(grantFor(card), later(3000));
    expect(
      await store.redeem({ cardBinding: card, password: again.password, target: 'auth' }, later(4000)),
    ).toEqual({ kind: 'no-grant' });
    expect((await store.redeem({ cardBinding: card, password: again.password }, later(5000))).kind).toBe(
      'granted',
    );
  });

  it('ties a kiosk transaction to a card’s 4-digit-PIN grant only, on that terminal, for a while', async () => {
    const card = binding('card for a signing session');
    const session = { cardBinding: card, transactionId: 'tx-signing', terminalId: 'KIOSK-1' };
    await store.issue(grantFor(card), T0); // a grant for the signing PIN: nothing to tie
    expect(await store.bindSigningSession(session, later(1000))).toBe('no-grant');
    await store.issue({ ...grantFor(card), target: 'auth' }, T0);
    expect(await store.bindSigningSession(session, later(1000))).toBe('bound');
    expect(await store.signingSessionOf(session, later(2000))).toEqual({
      cardBinding: card,
      holderId: 'H0001',
    });
    expect(await store.signingSessionOf({ ...session, terminalId: 'KIOSK-2' }, later(2000))).toBeUndefined();
    expect(await store.signingSessionOf(session, later(1000 + SIGNING_SESSION_MS))).toBeUndefined();
  });

  it('a spent or expired 4-digit-PIN grant ties no session and says why, as reserve would', async () => {
    const card = binding('card whose 4-digit-PIN grant was spent');
    const session = { cardBinding: card, transactionId: 'tx-spent', terminalId: 'KIOSK-1' };
    const { password } = await store.issue({ ...grantFor(card), target: 'auth' }, T0);
    const tx = { cardBinding: card, transactionId: 'tx-first' };
    expect((await store.reserve({ ...tx, password, target: 'auth' }, later(1000))).kind).toBe('granted');
    expect(await store.spend(tx, later(2000))).toBe('spent');
    expect(await store.bindSigningSession(session, later(3000))).toBe('used');
    expect(await store.signingSessionOf(session, later(4000))).toBeUndefined();
    expect((await store.reserve({ ...session, password, target: 'auth' }, later(5000))).kind).toBe('used');

    await store.issue({ ...grantFor(card), target: 'auth' }, T0);
    expect(await store.bindSigningSession(session, later(GRANT_LIFETIME_MS))).toBe('expired');
    expect(await store.bindSigningSession(session, later(GRANT_LIFETIME_MS - 1))).toBe('bound');
    expect(await store.bindSigningSession({ ...session, cardBinding: binding('no grant') }, T0)).toBe(
      'no-grant',
    );
  });

  it('migration 17 moved a signing session kept on its grant (migration 16) into a record of its own', async () => {
    const session = { transactionId: 'tx-before', terminalId: 'KIOSK-9' };
    expect(await store.signingSessionOf(session, later(1000))).toEqual({
      cardBinding: CARD_TIED_BEFORE_MIGRATION_17,
      holderId: 'H0002',
    });
    expect(await store.signingSessionOf(session, later(SIGNING_SESSION_MS))).toBeUndefined();
    const columns = Object.keys((await backend.query(config, 'SELECT * FROM pin_reset_grants'))[0] ?? {});
    expect(columns).toContain('reserved_by');
    expect(columns.filter((c) => c.startsWith('signing_session'))).toEqual([]);
  });

  it('keeps only a salted hash at rest', async () => {
    const { password } = await store.issue(grantFor(CARD_B), T0);
    const rows = await backend.query(config, 'SELECT * FROM pin_reset_grants');
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(password);
    const row = rows.find((r) => r.card_binding === CARD_B);
    expect(row?.password_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.password_salt).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses an expired password (at exactly 24 hours)', async () => {
    const card = binding('expiring');
    const { password } = await store.issue(grantFor(card), T0);
    expect(await store.redeem({ cardBinding: card, password }, later(GRANT_LIFETIME_MS))).toEqual({
      kind: 'expired',
    });
    expect((await store.redeem({ cardBinding: card, password }, later(GRANT_LIFETIME_MS - 1))).kind).toBe(
      'granted',
    );
  });

  it('counts five wrong passwords, then locks even the right one', async () => {
    const card = binding('guessed');
    const { password } = await store.issue(grantFor(card), T0);
    const wrong = otherThan(password);
    for (let i = 1; i <= MAX_WRONG_TRIES; i++) {
      expect(await store.redeem({ cardBinding: card, password: wrong }, T0)).toEqual({
        kind: 'wrong-password',
        triesLeft: MAX_WRONG_TRIES - i,
      });
    }
    expect(await store.redeem({ cardBinding: card, password }, T0)).toEqual({ kind: 'locked' });
  });

  it("answers no-grant for a card without one, and wrong-password for another card's password", async () => {
    const mine = binding('mine');
    const theirs = binding('theirs');
    const { password: theirPassword } = await store.issue(grantFor(theirs), T0);
    expect(await store.redeem({ cardBinding: binding('nobody'), password: theirPassword }, T0)).toEqual({
      kind: 'no-grant',
    });
    await store.issue(grantFor(mine), T0);
    const answer = await store.redeem({ cardBinding: mine, password: theirPassword }, T0);
    // Two independent 8-digit passwords are equal once in 10^8 draws.
    expect(answer).toEqual({ kind: 'wrong-password', triesLeft: MAX_WRONG_TRIES - 1 });
    expect((await store.redeem({ cardBinding: theirs, password: theirPassword }, T0)).kind).toBe('granted');
  });

  it('a malformed password is a wrong try; a missing one is not counted', async () => {
    const card = binding('malformed');
    const { password } = await store.issue(grantFor(card), T0);
    expect(await store.redeem({ cardBinding: card, password: `${password}0` }, T0)).toEqual({
      kind: 'wrong-password',
      triesLeft: 4,
    });
    expect(await store.redeem({ cardBinding: card, password: undefined }, T0)).toEqual({
      kind: 'wrong-password',
      triesLeft: 4,
    });
    expect((await store.redeem({ cardBinding: card, password }, T0)).kind).toBe('granted');
  });

  it('a new face check replaces the older grant (its password stops working, tries reset)', async () => {
    const card = binding('twice');
    const old = await store.issue(grantFor(card), T0);
    await store.redeem({ cardBinding: card, password: otherThan(old.password) }, T0);
    const fresh = await store.issue(grantFor(card), later(1000));
    if (fresh.password !== old.password) {
      expect(await store.redeem({ cardBinding: card, password: old.password }, later(2000))).toEqual({
        kind: 'wrong-password',
        triesLeft: MAX_WRONG_TRIES - 1,
      });
    }
    expect((await store.redeem({ cardBinding: card, password: fresh.password }, later(3000))).kind).toBe(
      'granted',
    );
  });

  it('bound-card mode: no password issued or stored; the card alone redeems, once', async () => {
    const card = binding('bound');
    const { password } = await store.issue(grantFor(card, 'bound-card'), T0);
    expect(password).toBe('');
    const rows = await backend.query(
      config,
      `SELECT password_hash FROM pin_reset_grants WHERE mode = 'bound-card'`,
    );
    expect(rows.map((r) => r.password_hash)).toEqual([null]);
    const answer = await store.redeem({ cardBinding: card, password: undefined }, T0);
    expect(answer.kind === 'granted' && answer.grant.mode).toBe('bound-card');
    expect(await store.redeem({ cardBinding: card, password: undefined }, T0)).toEqual({ kind: 'used' });
  });

  describe('at the kiosk: reserved by the command, spent only by the card\'s "reset-done"', () => {
    const TX1 = 'tx-kiosk-one';
    const TX2 = 'tx-kiosk-two';

    it('a reset that never reached the card (released) leaves the same password working', async () => {
      const card = binding('removed before relay');
      const { password } = await store.issue(grantFor(card), T0);
      expect((await store.reserve({ cardBinding: card, transactionId: TX1, password }, T0)).kind).toBe(
        'granted',
      );
      expect(await store.release({ cardBinding: card, transactionId: TX1 })).toBe('released');
      expect(await store.release({ cardBinding: card, transactionId: TX1 })).toBe('not-reserved');
      // A new transaction (the card put back) with the same password.
      expect((await store.reserve({ cardBinding: card, transactionId: TX2, password }, T0)).kind).toBe(
        'granted',
      );
      expect(await store.spend({ cardBinding: card, transactionId: TX2 }, T0)).toBe('spent');
    });

    it('a spent grant is refused ever after, in any transaction and by redeem', async () => {
      const card = binding('spent');
      const { password } = await store.issue(grantFor(card), T0);
      await store.reserve({ cardBinding: card, transactionId: TX1, password }, T0);
      expect(await store.spend({ cardBinding: card, transactionId: TX1 }, T0)).toBe('spent');
      for (const transactionId of [TX1, TX2]) {
        expect(await store.reserve({ cardBinding: card, transactionId, password }, later(1000))).toEqual({
          kind: 'used',
        });
      }
      expect(await store.redeem({ cardBinding: card, password }, later(1000))).toEqual({ kind: 'used' });
      expect(await store.release({ cardBinding: card, transactionId: TX1 })).toBe('not-reserved');
      expect(await store.spend({ cardBinding: card, transactionId: TX1 }, later(2000))).toBe('not-reserved');
    });

    it('another transaction is refused while a reservation runs, and takes over once it lapses', async () => {
      const card = binding('held');
      const { password } = await store.issue(grantFor(card), T0);
      await store.reserve({ cardBinding: card, transactionId: TX1, password }, T0);
      expect(await store.reserve({ cardBinding: card, transactionId: TX2, password }, later(1000))).toEqual({
        kind: 'in-use',
      });
      // Only the holder spends; the same transaction may reserve again.
      expect(await store.spend({ cardBinding: card, transactionId: TX2 }, later(1000))).toBe('not-reserved');
      expect(
        (await store.reserve({ cardBinding: card, transactionId: TX1, password }, later(2000))).kind,
      ).toBe('granted');
      const lapsed = later(2000 + RESERVATION_MS);
      expect((await store.reserve({ cardBinding: card, transactionId: TX2, password }, lapsed)).kind).toBe(
        'granted',
      );
      expect(await store.spend({ cardBinding: card, transactionId: TX1 }, lapsed)).toBe('not-reserved');
      expect(await store.spend({ cardBinding: card, transactionId: TX2 }, lapsed)).toBe('spent');
    });

    it('a wrong password reserves nothing and still counts', async () => {
      const card = binding('reserve wrong');
      const { password } = await store.issue(grantFor(card), T0);
      expect(
        await store.reserve({ cardBinding: card, transactionId: TX1, password: otherThan(password) }, T0),
      ).toEqual({ kind: 'wrong-password', triesLeft: MAX_WRONG_TRIES - 1 });
      expect((await store.reserve({ cardBinding: card, transactionId: TX2, password }, T0)).kind).toBe(
        'granted',
      );
    });

    it('two kiosks racing one grant: exactly one reserves it', async () => {
      const card = binding('two kiosks');
      const { password } = await store.issue(grantFor(card), T0);
      const answers = await Promise.all(
        ['tx-a', 'tx-b', 'tx-c', 'tx-d'].map((transactionId) =>
          store.reserve({ cardBinding: card, transactionId, password }, T0),
        ),
      );
      expect(answers.filter((a) => a.kind === 'granted')).toHaveLength(1);
      expect(answers.filter((a) => a.kind === 'in-use')).toHaveLength(3);
    });
  });

  it('concurrent redeems of one password: exactly one is granted', async () => {
    const card = binding('raced');
    const { password } = await store.issue(grantFor(card), T0);
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => store.redeem({ cardBinding: card, password }, T0)),
    );
    expect(answers.filter((a) => a.kind === 'granted')).toHaveLength(1);
    expect(answers.filter((a) => a.kind === 'used')).toHaveLength(3);
  });
});
