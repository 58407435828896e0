import type {
  BillingEntry,
  BillingRecord,
  DeliveryRecording,
  DeliveryReportRecord,
  CertificateRegistryEntry,
  ChallengeConsumption,
  ChallengeRecord,
  HouseholdRecord,
  IssuedDocumentRecord,
  MunicipalityKeyRecord,
  MunicipalityRecord,
  RegisterBatch,
  ResidentRecord,
  RulesProvenance,
  SaveSessionResult,
  SealKeyChange,
  SealKeyEvent,
  SessionRecord,
} from './records.ts';

/** A resident as `getResidentHome` reads them. */
export interface ResidentHome {
  resident: ResidentRecord;
  household?: HouseholdRecord;
  /** The household's municipality. */
  residence?: MunicipalityRecord;
  /** The 本籍's municipality, when asked for and the resident has a 本籍. */
  honseki?: MunicipalityRecord;
}

/** A card certificate as the registry and the revocation list know it. */
export interface CertificateStanding {
  holderId?: string;
  revoked: boolean;
}

/** A session as the issue step reads it. */
export interface SessionStanding {
  session: SessionRecord;
  /** An issuance is recorded for its transaction. */
  issued: boolean;
  /** Its certificate is on the revocation list now. */
  certificateRevoked: boolean;
}

/**
 * Everything the centre reads and writes. Asynchronous so that a PostgreSQL implementation can
 * be added behind the same interface; every method that must be atomic is one call.
 */
export interface CentreRepository {
  /**
   * Stores a municipality's rules as its own (default `{ setBy: 'admin', setAt: now }`): a later
   * register load leaves them alone.
   */
  putMunicipality(config: MunicipalityRecord, provenance?: RulesProvenance): Promise<void>;
  getMunicipality(code: string): Promise<MunicipalityRecord | undefined>;
  getRulesProvenance(code: string): Promise<RulesProvenance | undefined>;
  listMunicipalities(): Promise<MunicipalityRecord[]>;

  /**
   * Upserts a whole register (municipalities, then households, then residents) in one transaction.
   * Municipal rules set through the admin API are kept (see RegisterBatch.municipalities).
   */
  putRegister(register: RegisterBatch): Promise<void>;
  putHousehold(household: HouseholdRecord): Promise<void>;
  getHousehold(householdId: string): Promise<HouseholdRecord | undefined>;
  putResident(resident: ResidentRecord): Promise<void>;
  getResident(holderId: string): Promise<ResidentRecord | undefined>;
  /**
   * The resident with their household and its municipality, and with `withHonseki` their 本籍's
   * municipality, read together (one statement on PostgreSQL): what every sign-in and issue needs
   * first. Undefined when the holder is not on the register; a part missing from the register is
   * absent.
   */
  getResidentHome(holderId: string, withHonseki: boolean): Promise<ResidentHome | undefined>;
  /** Current members of a household, in household order (moved-out and deceased persons excluded). */
  listHouseholdMembers(householdId: string): Promise<ResidentRecord[]>;

  registerCertificate(entry: CertificateRegistryEntry): Promise<void>;
  /** Many registrations in one transaction (the centre's whole registry at start). */
  registerCertificates(entries: readonly CertificateRegistryEntry[]): Promise<void>;
  revokeCertificate(caFingerprint: string, serialNumberHex: string, revokedAt: number): Promise<void>;
  isCertificateRevoked(caFingerprint: string, serialNumberHex: string): Promise<boolean>;
  /** The certificate's holder in the registry, and whether it is revoked, read together (one statement on PostgreSQL). */
  certificateStanding(caFingerprint: string, serialNumberHex: string): Promise<CertificateStanding>;

  putChallenge(challenge: ChallengeRecord): Promise<void>;
  /**
   * Deletes the challenges that expired before `expiredBefore`; how many. Run by the centre's purge
   * job, not with each new challenge: a delete in the challenge's own statement was planned as a
   * scan of the whole table while PostgreSQL's statistics still saw it young.
   */
  purgeChallenges(expiredBefore: number): Promise<number>;
  /** Atomically marks the challenge used if it exists, is bound to this terminal + transaction, unexpired and unused. */
  consumeChallenge(
    challenge: string,
    terminalId: string,
    transactionId: string,
    now: number,
  ): Promise<ChallengeConsumption>;

  /** Saves the session; a transaction already authenticated with another certificate stays bound to it. */
  saveSession(session: SessionRecord): Promise<SaveSessionResult>;
  getSession(transactionId: string): Promise<SessionRecord | undefined>;
  /**
   * The session with what the issue step checks first — whether its transaction was issued
   * already, whether its certificate is revoked now — read together (one statement on PostgreSQL).
   */
  getSessionStanding(transactionId: string): Promise<SessionStanding | undefined>;

  getIssuedDocument(transactionId: string): Promise<IssuedDocumentRecord | undefined>;
  /**
   * Records an issuance and its billing record together, once per transaction. If the transaction
   * was already issued, nothing is written and the stored issuance is returned.
   */
  recordIssuance(issued: IssuedDocumentRecord, billing: BillingRecord): Promise<IssuedDocumentRecord>;
  /** Every billing row, oldest first: pending until a delivery report settles it. */
  listBillingRecords(): Promise<BillingEntry[]>;
  /**
   * Settles a pending billing row with the kiosk's delivery report, atomically and once: a
   * repeated identical report answers the stored settlement, a different one `conflict`.
   */
  recordDelivery(transactionId: string, report: DeliveryReportRecord): Promise<DeliveryRecording>;
  /**
   * Retention: empties the document and seal of one issuance (ids, hashes and billing stay),
   * recording `documentSha256` first if the row has none. False if absent or already purged, and,
   * without `documentSha256`, if the row has no hash of its own (rows before migration 9).
   */
  purgeIssuedDocument(
    transactionId: string,
    documentSha256: string | undefined,
    now: number,
  ): Promise<boolean>;
  /** Issuances still holding their document, issued before `issuedBefore`, oldest first (at most `limit`). */
  listKeptIssuedDocuments(
    issuedBefore: number,
    limit: number,
  ): Promise<{ transactionId: string; documentJson: string }[]>;

  /** Every seal key, by municipality and creation. */
  listMunicipalityKeys(): Promise<MunicipalityKeyRecord[]>;
  /**
   * Applies a change atomically. 'conflict' (nothing written) when the key to retire is not active
   * any more, the key to revoke is already revoked or absent, or the new key would be a second
   * active key of its municipality: another centre changed the keys first.
   */
  changeSealKeys(change: SealKeyChange): Promise<'done' | 'conflict'>;
  /** The audit trail of one municipality's seal keys, oldest first. */
  listSealKeyEvents(municipalityCode: string): Promise<SealKeyEvent[]>;
  /** Grows with every change to the seal keys (by any centre): a cache key. */
  sealKeysVersion(): Promise<number>;
  /**
   * Grows with every change to a table certificates are built from — the register, the
   * municipalities' rules, the 印鑑, 税, 戸籍, 附票 and 利用登録 registers — by anyone, in the change's
   * own transaction (migration 18's triggers): what was built at one version is built the same at
   * that version, the key of the menus proved ahead.
   */
  registerVersion(): Promise<number>;

  close(): Promise<void>;
}
