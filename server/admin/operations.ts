import type { AuditEntry, ConsoleStore } from '../console/store.ts';
import type { MunicipalityRecord } from '../db/records.ts';
import type { CentreRepository } from '../db/repository.ts';
import { japanTime } from '../municipal/japanTime.ts';
import type { RegisterStore } from '../municipal/register-store.ts';
import { parseMunicipalRules, type MunicipalRules } from '../municipal/rules.ts';
import type { KosekiUseRegistration } from '../seed/types.ts';

/**
 * The municipalities' changes to the centre, shared by the admin API (bearer tokens) and the
 * municipal console (signed-in users): each checks that the thing changed belongs to the acting
 * municipality, changes it in one call, and appends who, when, what, before and after to the
 * audit trail. Failures are typed values.
 */
export interface MunicipalOperationsDeps {
  repository: CentreRepository;
  registers: RegisterStore;
  /**
   * The audit trail and the DV decisions (server/console/store.ts). The centre always passes it;
   * only unit tests that build the admin API alone leave it out (then nothing is audited).
   */
  store?: ConsoleStore;
  now: () => Date;
}

export type OperationFailure =
  { kind: 'not-found' } | { kind: 'already-decided' } | { kind: 'invalid-rules'; errors: string[] };

export type OperationResult<T> = { ok: true; value: T } | { ok: false; failure: OperationFailure };

const fail = <T>(failure: OperationFailure): OperationResult<T> => ({ ok: false, failure });

/** Who acts, for the audit trail: `console:<login>` or `admin-token:<code>`. */
export interface Actor {
  municipalityCode: string;
  name: string;
}

export interface MunicipalOperations {
  decideRegistration(
    actor: Actor,
    requestId: string,
    decision: 'approved' | 'rejected',
  ): Promise<OperationResult<KosekiUseRegistration>>;
  abolishInkan(actor: Actor, holderId: string, onDate?: string): Promise<OperationResult<{ onDate: string }>>;
  saveRules(actor: Actor, input: unknown): Promise<OperationResult<{ rules: MunicipalRules; setAt: number }>>;
  /** DV 支援措置: only for a resident registered in the actor's municipality. */
  setDvBlock(
    actor: Actor,
    holderId: string,
    blocked: boolean,
  ): Promise<OperationResult<{ blocked: boolean }>>;
}

export function municipalOperations(deps: MunicipalOperationsDeps): MunicipalOperations {
  const { repository, registers, store } = deps;
  const audit = { append: async (entry: AuditEntry) => store?.append(entry) };
  const isDvBlocked = async (holderId: string) => (await repository.getResident(holderId))?.dvBlock === true;
  return {
    async decideRegistration(actor, requestId, decision) {
      const existing = await registers.getUseRegistration(requestId);
      if (!existing || existing.honsekiMunicipalityCode !== actor.municipalityCode)
        return fail({ kind: 'not-found' });
      const at = deps.now().getTime();
      const decided = await registers.decideUseRegistration(requestId, decision, at);
      if (!decided) return fail({ kind: 'already-decided' });
      await audit.append({
        municipalityCode: actor.municipalityCode,
        at,
        actor: actor.name,
        action: 'koseki-registration.decide',
        target: `request:${requestId}`,
        restricted: await isDvBlocked(existing.holderId),
        before: { status: existing.status },
        after: { status: decided.status },
      });
      return { ok: true, value: decided };
    },
    async abolishInkan(actor, holderId, onDate) {
      const registration = await registers.inkanOf(holderId);
      if (!registration || registration.municipalityCode !== actor.municipalityCode)
        return fail({ kind: 'not-found' });
      const now = deps.now();
      const date = onDate ?? japanTime(now).date;
      const result = await registers.abolishInkan(holderId, date);
      if (result !== 'abolished') return fail({ kind: 'already-decided' });
      await audit.append({
        municipalityCode: actor.municipalityCode,
        at: now.getTime(),
        actor: actor.name,
        action: 'inkan.abolish',
        target: `inkan:${holderId}`,
        restricted: await isDvBlocked(holderId),
        before: { status: registration.status },
        after: { status: 'abolished', onDate: date },
      });
      return { ok: true, value: { onDate: date } };
    },
    async saveRules(actor, input) {
      const parsed = parseMunicipalRules(input);
      if (!parsed.ok) return fail({ kind: 'invalid-rules', errors: parsed.errors });
      if (parsed.rules.code !== actor.municipalityCode)
        return fail({ kind: 'invalid-rules', errors: [`code: must be ${actor.municipalityCode}`] });
      const before: MunicipalityRecord | undefined = await repository.getMunicipality(actor.municipalityCode);
      const setAt = deps.now().getTime();
      await repository.putMunicipality(parsed.rules, { setBy: 'admin', setAt });
      await audit.append({
        municipalityCode: actor.municipalityCode,
        at: setAt,
        actor: actor.name,
        action: 'rules.save',
        target: `rules:${actor.municipalityCode}`,
        restricted: false,
        ...(before ? { before } : {}),
        after: parsed.rules,
      });
      return { ok: true, value: { rules: parsed.rules, setAt } };
    },
    async setDvBlock(actor, holderId, blocked) {
      const resident = await repository.getResident(holderId);
      if (!resident || resident.municipalityCode !== actor.municipalityCode)
        return fail({ kind: 'not-found' });
      const at = deps.now().getTime();
      if (resident.dvBlock !== blocked) await repository.putResident({ ...resident, dvBlock: blocked });
      if (!store) throw new TypeError('DV decisions need the console store');
      await store.putDvDecision({
        holderId,
        municipalityCode: actor.municipalityCode,
        blocked,
        setAt: at,
        setBy: actor.name,
      });
      await audit.append({
        municipalityCode: actor.municipalityCode,
        at,
        actor: actor.name,
        action: blocked ? 'dv.block' : 'dv.lift',
        target: `dv:${holderId}`,
        restricted: true,
        before: { blocked: resident.dvBlock },
        after: { blocked },
      });
      return { ok: true, value: { blocked } };
    },
  };
}

/**
 * Applies the municipalities' DV decisions over the register just loaded (the seed's flag is
 * only the starting point): a block set or lifted in the console survives restarts.
 */
export async function applyDvDecisions(repository: CentreRepository, store: ConsoleStore): Promise<void> {
  for (const decision of await store.listDvDecisions()) {
    const resident = await repository.getResident(decision.holderId);
    if (resident && resident.dvBlock !== decision.blocked)
      await repository.putResident({ ...resident, dvBlock: decision.blocked });
  }
}
