import { randomBytes, randomInt } from 'node:crypto';
import { holderBindingFor } from '../../protocol/seal.ts';
import {
  acceptedDocument,
  pageCountFor,
  type CertificateContent,
  type CertificateDocument,
  type HouseholdScope,
  type JuminhyoKisaiContent,
  type JuminhyoMember,
} from '../../protocol/documents.ts';
import type { HouseholdRecord, MunicipalityRecord, ResidentRecord } from '../db/records.ts';
import { japanIsoDateTime } from './japanTime.ts';

const DOCUMENT_ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** 16 random characters [0-9A-Z] (about 82 bits). */
export function newDocumentId(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += DOCUMENT_ID_ALPHABET[randomInt(DOCUMENT_ID_ALPHABET.length)];
  return id;
}

/** A document's holder binding: a fresh random salt and the HMAC of the certificate under it. */
export interface HolderBinding {
  holderSalt: string;
  holderBinding: string;
}

/** A new salt (16 random bytes, hex) and the binding of `certificateFingerprint` under it. */
export function newHolderBinding(certificateFingerprint: string): HolderBinding {
  const holderSalt = randomBytes(16).toString('hex');
  return { holderSalt, holderBinding: holderBindingFor(holderSalt, certificateFingerprint) };
}

export interface DocumentFrame {
  transactionId: string;
  municipality: MunicipalityRecord;
  /** SHA-256 hex of the resident's authenticated certificate; bound per document with a fresh salt. */
  certificateFingerprint: string;
  now: Date;
  documentId?: string;
  /**
   * The binding to use instead of a fresh one per document: only for documents that are checked
   * and dropped, never signed, stored or given out (the menu's printability check shares one
   * among its documents, the binding being no part of what is printed or checked).
   */
  holder?: HolderBinding;
}

/**
 * Wraps certified content into a document: id, issue time, municipality, binding, page count.
 * The content must be new objects made for this document (the document is the very object built
 * here when it is valid, not a copy); register data the contract refuses throws zod's ZodError.
 */
export function certifiedDocument(frame: DocumentFrame, content: CertificateContent): CertificateDocument {
  const { holderSalt, holderBinding } = frame.holder ?? newHolderBinding(frame.certificateFingerprint);
  return acceptedDocument({
    documentId: frame.documentId ?? newDocumentId(),
    transactionId: frame.transactionId,
    certificateType: content.kind,
    issuedAt: japanIsoDateTime(frame.now),
    municipality: {
      code: frame.municipality.code,
      name: frame.municipality.name,
      mayorTitle: frame.municipality.mayorTitle,
      mayorName: frame.municipality.mayorName,
    },
    holderSalt,
    holderBinding,
    pageCount: pageCountFor(content),
    content,
  });
}

export interface JuminhyoChoice {
  scope: HouseholdScope;
  includeRelationship: boolean;
  includeHonseki: boolean;
}

function memberOf(r: ResidentRecord, choice: JuminhyoChoice): JuminhyoMember {
  const member: JuminhyoMember = {
    name: r.name,
    nameKana: r.nameKana,
    birthDate: r.birthDate,
    sex: r.sex,
    residentSince: r.residentSince,
  };
  if (choice.includeRelationship) member.relationship = r.relationship;
  if (r.addressSince !== undefined) member.addressSince = r.addressSince;
  if (r.addressNotifiedOn !== undefined) member.addressNotifiedOn = r.addressNotifiedOn;
  if (r.entry !== undefined) member.entry = { ...r.entry };
  if (r.nationality !== undefined && r.foreign !== undefined) {
    member.foreign = { nationality: r.nationality, ...r.foreign };
  }
  if (r.previousAddress !== undefined) member.previousAddress = r.previousAddress;
  if (r.kyuuji !== undefined) member.kyuuji = r.kyuuji;
  if (r.tsusho !== undefined) member.tsusho = r.tsusho;
  return member;
}

export interface JuminhyoInput extends DocumentFrame {
  household: HouseholdRecord;
  /** The persons to print, in household order, read from the register at the moment of issue. */
  members: ResidentRecord[];
  /** The current 世帯主's name (printed even when the 世帯主 is not among `members`). */
  householdHead?: string;
  /** The requesting resident's 本籍 (printed when asked for and allowed). */
  honseki?: ResidentRecord['honseki'];
  choice?: JuminhyoChoice;
}

const WHOLE_HOUSEHOLD: JuminhyoChoice = {
  scope: 'household',
  includeRelationship: true,
  includeHonseki: false,
};

/** The 住民票の写し (世帯連記式) as the municipality certifies it. */
export function buildJuminhyoDocument(input: JuminhyoInput): CertificateDocument {
  const choice = input.choice ?? WHOLE_HOUSEHOLD;
  const head =
    input.householdHead ?? (input.members.find((m) => m.relationship === '世帯主') ?? input.members[0])?.name;
  if (!head || input.members.length === 0) throw new RangeError('a 住民票 needs at least one member');
  // 世帯主の氏名 and 続柄 are one item of the 住民票: left out together when the resident asks.
  const content: CertificateContent = {
    kind: 'juminhyo',
    scope: choice.scope,
    address: input.household.address,
    ...(choice.includeRelationship ? { householdHead: head } : {}),
    members: input.members.map((m) => memberOf(m, choice)),
  };
  if (choice.includeHonseki && input.honseki) {
    content.honseki = input.honseki.address;
    content.hittousha = input.honseki.hittousha;
  }
  return certifiedDocument(input, content);
}

/** The 住民票記載事項証明書 of the chosen persons. */
export function buildJuminhyoKisaiDocument(input: JuminhyoInput): CertificateDocument {
  const choice = input.choice ?? WHOLE_HOUSEHOLD;
  const head = input.householdHead ?? input.members[0]?.name;
  if (!head || input.members.length === 0) throw new RangeError('a 記載事項証明書 needs at least one person');
  return certifiedDocument(input, {
    kind: 'juminhyo-kisai',
    scope: choice.scope,
    address: input.household.address,
    ...(choice.includeRelationship ? { householdHead: head } : {}),
    members: input.members.map((r) => {
      const m: JuminhyoKisaiContent['members'][number] = {
        name: r.name,
        nameKana: r.nameKana,
        birthDate: r.birthDate,
        sex: r.sex,
        residentSince: r.residentSince,
      };
      if (choice.includeRelationship) m.relationship = r.relationship;
      return m;
    }),
  });
}
