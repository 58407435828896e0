import { randomInt } from 'node:crypto';
import {
  CertificateDocumentSchema,
  juminhyoPageCount,
  type CertificateDocument,
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

function memberOf(r: ResidentRecord): JuminhyoMember {
  const member: JuminhyoMember = {
    name: r.name,
    nameKana: r.nameKana,
    birthDate: r.birthDate,
    sex: r.sex,
    relationship: r.relationship,
    residentSince: r.residentSince,
  };
  if (r.previousAddress !== undefined) member.previousAddress = r.previousAddress;
  if (r.kyuuji !== undefined) member.kyuuji = r.kyuuji;
  if (r.tsusho !== undefined) member.tsusho = r.tsusho;
  return member;
}

export interface JuminhyoInput {
  transactionId: string;
  municipality: MunicipalityRecord;
  household: HouseholdRecord;
  /** Current members in household order, read from the register at the moment of issue. */
  members: ResidentRecord[];
  holderBinding: string;
  now: Date;
  documentId?: string;
}

/** The 住民票の写し (世帯全員, 世帯連記式) as the municipality certifies it. */
export function buildJuminhyoDocument(input: JuminhyoInput): CertificateDocument {
  const head = input.members.find((m) => m.relationship === '世帯主') ?? input.members[0];
  if (!head) throw new RangeError('a 住民票 needs at least one member');
  const document: CertificateDocument = {
    documentId: input.documentId ?? newDocumentId(),
    transactionId: input.transactionId,
    certificateType: 'juminhyo',
    issuedAt: japanIsoDateTime(input.now),
    municipality: {
      code: input.municipality.code,
      name: input.municipality.name,
      mayorTitle: input.municipality.mayorTitle,
      mayorName: input.municipality.mayorName,
    },
    holderBinding: input.holderBinding,
    pageCount: juminhyoPageCount(input.members.length),
    content: {
      kind: 'juminhyo',
      address: input.household.address,
      householdHead: head.name,
      members: input.members.map(memberOf),
    },
  };
  return CertificateDocumentSchema.parse(document);
}
