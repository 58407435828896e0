import { randomInt } from 'node:crypto';
import type {
  FuhyoRecord,
  InkanRegistration,
  KosekiRecord,
  KosekiUseRegistration,
  SeedRegisters,
  TaxAssessment,
} from '../seed/types.ts';

/**
 * The municipal registers the issuing server certifies from: 印鑑登録, 課税・納税, 戸籍, 戸籍の附票,
 * and the 利用登録 for 戸籍 at the kiosk. Asynchronous like CentreRepository: the centre uses the
 * database-backed store (server/db/, `PersistentRegisterStore`), unit tests may use the in-memory
 * one. Every read returns a copy (callers may not change the register by accident) and each change
 * is one atomic call.
 */
export interface RegisterStore {
  inkanOf(holderId: string): Promise<InkanRegistration | undefined>;
  /** 廃止: from now on the registration is never certified. */
  abolishInkan(holderId: string, onDate: string): Promise<'abolished' | 'not-registered'>;
  taxAssessment(holderId: string, fiscalYear: number): Promise<TaxAssessment | undefined>;
  /** Fiscal years on the register for this person, newest first. */
  taxYearsOf(holderId: string): Promise<number[]>;
  kosekiOf(kosekiId: string): Promise<KosekiRecord | undefined>;
  fuhyoOf(holderId: string): Promise<FuhyoRecord | undefined>;
  useRegistrationOf(
    holderId: string,
    honsekiMunicipalityCode: string,
  ): Promise<KosekiUseRegistration | undefined>;
  /**
   * What a menu decides on, read together (one statement on PostgreSQL): the 印鑑登録 and the tax
   * years when asked, the latest 利用登録 for `honsekiCode` when given. The same answers as
   * `inkanOf`, `taxYearsOf` and `useRegistrationOf`; what was not asked is absent (no tax years: []).
   */
  menuRegistersOf(holderId: string, asked: MenuRegisterReads): Promise<MenuRegisters>;
  /** Files a 利用登録; a pending or approved one already on file is returned instead. */
  fileUseRegistration(
    holderId: string,
    honsekiMunicipalityCode: string,
    at: number,
  ): Promise<KosekiUseRegistration>;
  getUseRegistration(requestId: string): Promise<KosekiUseRegistration | undefined>;
  decideUseRegistration(
    requestId: string,
    decision: 'approved' | 'rejected',
    at: number,
  ): Promise<KosekiUseRegistration | undefined>;
  listUseRegistrations(honsekiMunicipalityCode: string): Promise<KosekiUseRegistration[]>;
}

/** Which registers `menuRegistersOf` reads. */
export interface MenuRegisterReads {
  inkan: boolean;
  taxYears: boolean;
  /** The 本籍地 whose 利用登録 is read; absent: none read. */
  honsekiCode?: string;
}

/** A menu's registers as `menuRegistersOf` reads them. */
export interface MenuRegisters {
  inkan?: InkanRegistration;
  useRegistration?: KosekiUseRegistration;
  taxYears: number[];
}

/** `menuRegistersOf` from the store's single reads, for stores where a read is a function call. */
export async function menuRegistersFromSingleReads(
  store: Pick<RegisterStore, 'inkanOf' | 'taxYearsOf' | 'useRegistrationOf'>,
  holderId: string,
  asked: MenuRegisterReads,
): Promise<MenuRegisters> {
  const [inkan, useRegistration, taxYears] = await Promise.all([
    asked.inkan ? store.inkanOf(holderId) : undefined,
    asked.honsekiCode === undefined ? undefined : store.useRegistrationOf(holderId, asked.honsekiCode),
    asked.taxYears ? store.taxYearsOf(holderId) : [],
  ]);
  return { ...(inkan ? { inkan } : {}), ...(useRegistration ? { useRegistration } : {}), taxYears };
}

/**
 * The registers kept in a database (server/db/): every read goes to the database at that moment,
 * so a change made through one centre process is seen by every other one on the same database.
 */
export interface PersistentRegisterStore extends RegisterStore {
  /**
   * Upserts the registers as loaded (at every start): 印鑑登録, 課税, 戸籍, 附票 rows are replaced,
   * seed 利用登録 requests are added if absent. Abolitions and decisions already recorded stay.
   */
  load(registers: SeedRegisters): Promise<void>;
}

const REQUEST_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A 利用登録 request id: 12 characters from [0-9A-Z]. */
export function newRequestId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += REQUEST_ID_ALPHABET[randomInt(REQUEST_ID_ALPHABET.length)];
  return id;
}

/** The registers in memory, loaded from the seed world's generated registers. */
export function createMemoryRegisterStore(registers: SeedRegisters): RegisterStore {
  const copy = <T>(value: T): T => structuredClone(value);
  const inkan = new Map(registers.inkan.map((r) => [r.holderId, copy(r)]));
  const taxes = new Map<string, TaxAssessment>(
    registers.taxes.map((t) => [`${t.holderId}/${t.fiscalYear}`, copy(t)]),
  );
  const koseki = new Map(registers.koseki.map((k) => [k.kosekiId, copy(k)]));
  const fuhyo = new Map(registers.fuhyo.map((f) => [f.holderId, copy(f)]));
  const useRegistrations = new Map(registers.kosekiUseRegistrations.map((u) => [u.requestId, copy(u)]));
  const latestUse = (holderId: string, code: string) =>
    [...useRegistrations.values()]
      .filter((u) => u.holderId === holderId && u.honsekiMunicipalityCode === code)
      .sort((a, b) => b.filedAt - a.filedAt)[0];

  const store: RegisterStore = {
    async inkanOf(holderId) {
      const r = inkan.get(holderId);
      return r && copy(r);
    },
    async abolishInkan(holderId, onDate) {
      const r = inkan.get(holderId);
      if (!r || r.status !== 'registered') return 'not-registered';
      inkan.set(holderId, { ...r, status: 'abolished', abolishedOn: onDate });
      return 'abolished';
    },
    async taxAssessment(holderId, fiscalYear) {
      const t = taxes.get(`${holderId}/${fiscalYear}`);
      return t && copy(t);
    },
    async taxYearsOf(holderId) {
      return [...taxes.values()]
        .filter((t) => t.holderId === holderId)
        .map((t) => t.fiscalYear)
        .sort((a, b) => b - a);
    },
    async kosekiOf(kosekiId) {
      const k = koseki.get(kosekiId);
      return k && copy(k);
    },
    async fuhyoOf(holderId) {
      const f = fuhyo.get(holderId);
      return f && copy(f);
    },
    async useRegistrationOf(holderId, code) {
      const u = latestUse(holderId, code);
      return u && copy(u);
    },
    async fileUseRegistration(holderId, code, at) {
      const existing = latestUse(holderId, code);
      if (existing && existing.status !== 'rejected') return copy(existing);
      const filed: KosekiUseRegistration = {
        requestId: newRequestId(),
        holderId,
        honsekiMunicipalityCode: code,
        status: 'pending',
        filedAt: at,
      };
      useRegistrations.set(filed.requestId, filed);
      return copy(filed);
    },
    async getUseRegistration(requestId) {
      const u = useRegistrations.get(requestId);
      return u && copy(u);
    },
    async decideUseRegistration(requestId, decision, at) {
      const u = useRegistrations.get(requestId);
      if (!u || u.status !== 'pending') return undefined;
      const decided = { ...u, status: decision, decidedAt: at };
      useRegistrations.set(requestId, decided);
      return copy(decided);
    },
    async listUseRegistrations(code) {
      return [...useRegistrations.values()]
        .filter((u) => u.honsekiMunicipalityCode === code)
        .sort((a, b) => a.filedAt - b.filedAt)
        .map(copy);
    },
    menuRegistersOf: (holderId, asked) => menuRegistersFromSingleReads(store, holderId, asked),
  };
  return store;
}
