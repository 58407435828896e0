import type { CentreRepository } from '../db/repository.ts';
import type { ResidentRecord } from '../db/records.ts';
import type { FuhyoRecord, InkanRegistration, KosekiRecord, TaxAssessment } from '../seed/types.ts';
import type { RegisterStore } from './register-store.ts';

/** The register reads a certified document is built from (certify.ts). */
export interface CertifyReads {
  listHouseholdMembers(householdId: string): Promise<ResidentRecord[]>;
  inkanOf(holderId: string): Promise<InkanRegistration | undefined>;
  taxAssessment(holderId: string, fiscalYear: number): Promise<TaxAssessment | undefined>;
  kosekiOf(kosekiId: string): Promise<KosekiRecord | undefined>;
  fuhyoOf(holderId: string): Promise<FuhyoRecord | undefined>;
}

/** Reads already made in this request, handed on so they are not made again. */
export interface KnownReads {
  /** The resident's 印鑑登録 as menuContextFor read it (undefined: none on the register). */
  inkan?: { holderId: string; registration: InkanRegistration | undefined };
}

/**
 * The registers as one request sees them: each read goes to the repository or the register store
 * once, and every later ask for the same thing in this request gets that answer. The menu builds
 * up to eight documents at sign-in (both 住民票 scopes and the 記載事項証明書 read the household;
 * the three 戸籍 certificates the same 戸籍; both tax certificates the same assessment), and
 * reading each register once per sign-in instead of once per document gives every document the
 * same moment's register. Made per request and dropped with it: nothing is kept across requests,
 * residents or transactions. The builders copy what they print (the contract's check keeps the
 * built objects, no copy), so no document holds an object another one shares.
 */
export function readsOnce(
  repository: Pick<CentreRepository, 'listHouseholdMembers'>,
  registers: Pick<RegisterStore, 'inkanOf' | 'taxAssessment' | 'kosekiOf' | 'fuhyoOf'>,
  known: KnownReads = {},
): CertifyReads {
  const households = new Map<string, Promise<ResidentRecord[]>>();
  const inkan = new Map<string, Promise<InkanRegistration | undefined>>();
  const taxes = new Map<string, Promise<TaxAssessment | undefined>>();
  const koseki = new Map<string, Promise<KosekiRecord | undefined>>();
  const fuhyo = new Map<string, Promise<FuhyoRecord | undefined>>();
  if (known.inkan) inkan.set(known.inkan.holderId, Promise.resolve(known.inkan.registration));
  const once = <T>(memo: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    let answer = memo.get(key);
    if (!answer) {
      answer = read();
      memo.set(key, answer);
      // A failed read is not remembered: the next ask reads again (and fails or answers on its own).
      answer.catch(() => memo.delete(key));
    }
    return answer;
  };
  return {
    listHouseholdMembers: (householdId) =>
      once(households, householdId, () => repository.listHouseholdMembers(householdId)),
    inkanOf: (holderId) => once(inkan, holderId, () => registers.inkanOf(holderId)),
    taxAssessment: (holderId, fiscalYear) =>
      once(taxes, `${holderId}/${fiscalYear}`, () => registers.taxAssessment(holderId, fiscalYear)),
    kosekiOf: (kosekiId) => once(koseki, kosekiId, () => registers.kosekiOf(kosekiId)),
    fuhyoOf: (holderId) => once(fuhyo, holderId, () => registers.fuhyoOf(holderId)),
  };
}
