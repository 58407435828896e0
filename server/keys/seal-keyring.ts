import type { SealSigner } from '../../protocol/seal-signer.ts';
import {
  keyListPayloadBytes,
  type KeyListPayload,
  type PublishedSealKeyEntry,
  type SignedKeyList,
} from '../../protocol/seal-keys.ts';
import type { MunicipalityKeyRecord, SealKeyChange, SealKeyEvent } from '../db/records.ts';
import type { CentreRepository } from '../db/repository.ts';
import {
  ROOT_KEY_LABEL,
  publicKeysPem,
  sealKeyLabel,
  type SealKeyStore,
  type StoredSealKey,
} from './seal-key-store.ts';

const DAY_MS = 86_400_000;
/** A key verifies for two years from its creation and signs for the first of them, then rotates. */
export const DEFAULT_KEY_LIFETIME_MS = 2 * 365 * DAY_MS;

export interface SealKeyringOptions {
  repository: CentreRepository;
  store: SealKeyStore;
  now: () => Date;
  /** Validity of a new key; it is rotated once half of it has passed. */
  keyLifetimeMs?: number;
  /** Which root on the store signs key lists, when the store holds more than one. */
  rootKid?: string;
}

export type SealKeyringFailure =
  | { kind: 'no-root-key' }
  | { kind: 'root-key-ambiguous'; kids: string[] }
  | { kind: 'unknown-municipality'; municipalityCode: string }
  | { kind: 'unknown-key'; kid: string }
  | { kind: 'already-revoked'; kid: string }
  | { kind: 'revocation-time-invalid'; detail: string }
  | { kind: 'concurrent-change' };

export class SealKeyringError extends Error {
  override readonly name = 'SealKeyringError';
  constructor(readonly failure: SealKeyringFailure) {
    super(failure.kind);
  }
}

export type KeyChangeResult =
  { ok: true; keys: MunicipalityKeyRecord[] } | { ok: false; failure: SealKeyringFailure };

interface Snapshot {
  version: number;
  keys: MunicipalityKeyRecord[];
  published?: SignedKeyList;
}

const iso = (ms: number) => new Date(ms).toISOString();

function publishedEntry(key: MunicipalityKeyRecord): PublishedSealKeyEntry {
  return {
    kid: key.kid,
    municipalityCode: key.municipalityCode,
    publicKeySpki: Buffer.from(key.publicKeySpkiDer).toString('base64'),
    validFrom: iso(key.validFrom),
    validTo: iso(key.validTo),
    status: key.status,
    ...(key.revokedAt === undefined ? {} : { revokedAt: iso(key.revokedAt) }),
  };
}

/**
 * The municipalities' seal keys over their life: each municipality has one active key on the HSM
 * that signs its seals; rotation makes a new active key and retires the old one, which still
 * verifies the seals it made until its validTo; revocation (with the instant from which it holds)
 * makes a key untrusted for seals made from then on, and a revoked active key is replaced at once.
 * Every change is one atomic repository change with its audit events, so several centres on one
 * database agree. The public list is signed by the root key on the same HSM and cached until the
 * keys change.
 */
export class SealKeyring {
  private snapshot: Snapshot = { version: -1, keys: [] };
  private readonly lifetimeMs: number;

  private constructor(
    private readonly options: SealKeyringOptions,
    private readonly root: StoredSealKey,
    private readonly roots: StoredSealKey[],
  ) {
    this.lifetimeMs = options.keyLifetimeMs ?? DEFAULT_KEY_LIFETIME_MS;
  }

  /** Finds the root on the store and gives every municipality a usable active key. */
  static async open(options: SealKeyringOptions): Promise<SealKeyring> {
    const roots = (await options.store.list()).filter((k) => k.label === ROOT_KEY_LABEL);
    const root = options.rootKid ? roots.find((k) => k.kid === options.rootKid) : roots[0];
    if (!root) throw new SealKeyringError({ kind: 'no-root-key' });
    if (!options.rootKid && roots.length > 1)
      throw new SealKeyringError({ kind: 'root-key-ambiguous', kids: roots.map((k) => k.kid).sort() });
    const keyring = new SealKeyring(options, root, roots);
    for (const municipality of await options.repository.listMunicipalities())
      await keyring.ensureUsableKey(municipality.code);
    return keyring;
  }

  /** The roots on the store (kid → SPKI DER): what kiosks and verifiers are provisioned with. */
  rootPublicKeys(): ReadonlyMap<string, Uint8Array> {
    return new Map(this.roots.map((k) => [k.kid, k.publicKeySpkiDer]));
  }

  rootPublicKeysPem(): string {
    return publicKeysPem(this.roots.map((k) => k.publicKeySpkiDer));
  }

  private async current(): Promise<Snapshot> {
    const version = await this.options.repository.sealKeysVersion();
    if (version !== this.snapshot.version) {
      this.snapshot = { version, keys: await this.options.repository.listMunicipalityKeys() };
    }
    return this.snapshot;
  }

  async keysOf(municipalityCode: string): Promise<MunicipalityKeyRecord[]> {
    return (await this.current()).keys.filter((k) => k.municipalityCode === municipalityCode);
  }

  async events(municipalityCode: string): Promise<SealKeyEvent[]> {
    return this.options.repository.listSealKeyEvents(municipalityCode);
  }

  /** The municipality's active key as a signer, or undefined when it has none that may sign now. */
  async signerFor(municipalityCode: string): Promise<SealSigner | undefined> {
    const now = this.options.now().getTime();
    const active = (await this.keysOf(municipalityCode)).find((k) => k.status === 'active');
    if (!active || now < active.validFrom || now >= active.validTo) return undefined;
    const store = this.options.store;
    return { kid: active.kid, sign: (bytes) => store.sign(active.kid, bytes) };
  }

  /** Every municipality's keys in a list signed by the root; re-signed only when the keys change. */
  async publishedKeyList(): Promise<SignedKeyList> {
    const snapshot = await this.current();
    if (snapshot.published) return snapshot.published;
    const payload: KeyListPayload = {
      v: 1,
      issuedAt: this.options.now().toISOString(),
      keys: snapshot.keys.map(publishedEntry),
    };
    const bytes = keyListPayloadBytes(payload);
    const signature = await this.options.store.sign(this.root.kid, bytes);
    const published: SignedKeyList = {
      payload: Buffer.from(bytes).toString('base64'),
      signature: Buffer.from(signature).toString('base64'),
      rootKid: this.root.kid,
    };
    snapshot.published = published;
    return published;
  }

  private signingUntil(key: MunicipalityKeyRecord): number {
    return key.validFrom + Math.floor((key.validTo - key.validFrom) / 2);
  }

  /** At start: a first key, or a new one when the active key is past its signing half or not on the store. */
  private async ensureUsableKey(municipalityCode: string): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const now = this.options.now().getTime();
      const active = (await this.keysOf(municipalityCode)).find((k) => k.status === 'active');
      if (active) {
        const onStore = (await this.options.store.list()).some((k) => k.kid === active.kid);
        const reason = !onStore
          ? 'the active key is not on the key store'
          : now >= this.signingUntil(active)
            ? 'expiry'
            : undefined;
        if (!reason) return;
        const result = await this.replace(municipalityCode, active.kid, 'centre', reason);
        if (result.ok || result.failure.kind !== 'concurrent-change') return;
      } else {
        const result = await this.replace(municipalityCode, undefined, 'centre', 'first key');
        if (result.ok || result.failure.kind !== 'concurrent-change') return;
      }
    }
    throw new SealKeyringError({ kind: 'concurrent-change' });
  }

  private async newKey(municipalityCode: string): Promise<MunicipalityKeyRecord> {
    const stored = await this.options.store.generate(sealKeyLabel({ kind: 'municipal', municipalityCode }));
    const now = this.options.now().getTime();
    // A seal carries its time in whole seconds, so the key is valid from the start of the second it
    // was made in: a seal signed in that same second would otherwise read as made before its key.
    const validFrom = Math.floor(now / 1000) * 1000;
    return {
      kid: stored.kid,
      municipalityCode,
      publicKeySpkiDer: stored.publicKeySpkiDer,
      createdAt: now,
      validFrom,
      validTo: validFrom + this.lifetimeMs,
      status: 'active',
    };
  }

  /** Applies a change that adds a new key; a lost race removes the generated key from the store. */
  private async apply(change: SealKeyChange): Promise<KeyChangeResult> {
    const outcome = await this.options.repository.changeSealKeys(change);
    if (outcome === 'conflict') {
      if (change.insert) await this.options.store.destroy(change.insert.kid);
      return { ok: false, failure: { kind: 'concurrent-change' } };
    }
    const municipalityCode = change.events[0]?.municipalityCode ?? '';
    return { ok: true, keys: await this.keysOf(municipalityCode) };
  }

  private async replace(
    municipalityCode: string,
    activeKid: string | undefined,
    actor: string,
    reason: string,
    revoke?: { kid: string; revokedAt: number; detail: string },
  ): Promise<KeyChangeResult> {
    const key = await this.newKey(municipalityCode);
    const at = this.options.now().getTime();
    const event = (action: SealKeyEvent['action'], kid: string, detail: string): SealKeyEvent => ({
      at,
      actor,
      action,
      kid,
      municipalityCode,
      detail,
    });
    const events: SealKeyEvent[] = [];
    if (revoke) events.push(event('revoked', revoke.kid, revoke.detail));
    else if (activeKid) events.push(event('retired', activeKid, `replaced by ${key.kid} (${reason})`));
    events.push(event('created', key.kid, activeKid ? `${reason}, replaces ${activeKid}` : reason));
    return this.apply({
      ...(activeKid && !revoke ? { retire: { kid: activeKid } } : {}),
      ...(revoke ? { revoke: { kid: revoke.kid, revokedAt: revoke.revokedAt } } : {}),
      insert: key,
      events,
    });
  }

  private async knownMunicipality(municipalityCode: string): Promise<boolean> {
    return (await this.options.repository.getMunicipality(municipalityCode)) !== undefined;
  }

  /** A new active key for the municipality; the old one is retired and still verifies its seals. */
  async rotate(municipalityCode: string, actor: string, reason = 'rotation'): Promise<KeyChangeResult> {
    if (!(await this.knownMunicipality(municipalityCode)))
      return { ok: false, failure: { kind: 'unknown-municipality', municipalityCode } };
    const active = (await this.keysOf(municipalityCode)).find((k) => k.status === 'active');
    return this.replace(municipalityCode, active?.kid, actor, reason);
  }

  /**
   * Revokes one of the municipality's keys from `revokedAt` (not in the future, not before the key
   * was valid): seals it made from then on fail with "revoked". A revoked active key is replaced in
   * the same change, so the municipality keeps issuing.
   */
  async revoke(
    municipalityCode: string,
    kid: string,
    opts: { actor: string; revokedAt?: Date; reason: string },
  ): Promise<KeyChangeResult> {
    const key = (await this.keysOf(municipalityCode)).find((k) => k.kid === kid);
    if (!key) return { ok: false, failure: { kind: 'unknown-key', kid } };
    if (key.status === 'revoked') return { ok: false, failure: { kind: 'already-revoked', kid } };
    const now = this.options.now().getTime();
    const revokedAt = opts.revokedAt?.getTime() ?? now;
    if (!Number.isFinite(revokedAt) || revokedAt > now)
      return { ok: false, failure: { kind: 'revocation-time-invalid', detail: 'in the future' } };
    if (revokedAt < key.validFrom)
      return { ok: false, failure: { kind: 'revocation-time-invalid', detail: 'before the key was valid' } };
    const detail = `${opts.reason}; revoked from ${iso(revokedAt)}`;
    if (key.status === 'active') {
      return this.replace(municipalityCode, kid, opts.actor, `revocation of ${kid}`, {
        kid,
        revokedAt,
        detail,
      });
    }
    return this.apply({
      revoke: { kid, revokedAt },
      events: [{ at: now, actor: opts.actor, action: 'revoked', kid, municipalityCode, detail }],
    });
  }
}
