import { createHash } from 'node:crypto';
import {
  FUHYO_ADDRESSES_PER_PAGE,
  JUMINHYO_MEMBERS_PER_PAGE,
  kosekiPages,
  NOZEI_ITEMS_PER_PAGE,
  type CertificateContent,
  type ShotokuKazeiContent,
} from './documents.ts';

/**
 * The facts of one printed page that a forger would change, as signed in that page's seal:
 * what the page itself shows (the persons on it, its addresses, amounts and numbers), so a seal
 * copied onto another page or another document no longer matches the text beside it.
 * Each field is present only where the certificate type has it.
 */
export interface SealFacts {
  /** Persons printed on this page (住民票, 戸籍) or the one person the certificate is about. */
  names?: string[];
  /** 住所 (住民票, 印鑑, tax certificates). */
  address?: string;
  /** 本籍 and 筆頭者 (戸籍, 附票, a 住民票 with 本籍). */
  honseki?: string;
  hittousha?: string;
  /** 年度 of a tax certificate. */
  taxYear?: number;
  /** Every yen amount printed on this page, in the form's order. */
  amounts?: number[];
  /** 印鑑登録番号. */
  registrationNumber?: string;
  /** First 16 bytes of SHA-256 over the registered 印影 image as the document holds it. */
  sealImageDigest?: Uint8Array;
  /**
   * 附票: the addresses printed on this page, newest first, as many as fit SEAL_ADDRESS_BUDGET
   * bytes (the QR stays at version 18 or less); `addressCount` says how many the page prints.
   */
  addresses?: string[];
  addressCount?: number;
}

/** UTF-8 bytes of 附票 addresses a page seal carries. */
export const SEAL_ADDRESS_BUDGET = 300;

function newestWithinBudget(addresses: readonly string[]): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const address of [...addresses].reverse()) {
    used += Buffer.byteLength(address, 'utf8') + 2;
    if (used > SEAL_ADDRESS_BUDGET && kept.length > 0) break;
    kept.push(address);
  }
  return kept;
}

/** Short CBOR keys of SealFacts (the QR must stay small). */
const FACT_KEYS = {
  names: 1,
  address: 2,
  honseki: 3,
  hittousha: 4,
  taxYear: 5,
  amounts: 6,
  registrationNumber: 7,
  sealImageDigest: 8,
  addresses: 9,
  addressCount: 10,
} as const satisfies Record<keyof SealFacts, number>;

function slice<T>(items: readonly T[], page: number, perPage: number): T[] {
  return items.slice(page * perPage, (page + 1) * perPage);
}

/** The amounts of a 所得・課税証明書 in the form's order (収入, 所得, 控除, 課税標準, 税額). */
export function shotokuAmounts(content: ShotokuKazeiContent): number[] {
  const { income, tax } = content;
  return [
    income.salaryRevenue,
    income.salaryIncome,
    income.pensionRevenue,
    income.pensionIncome,
    income.otherIncome,
    income.totalIncome,
    content.deductionsTotal,
    content.taxableIncome,
    tax.municipalIncomeLevy,
    tax.municipalPerCapita,
    tax.prefecturalIncomeLevy,
    tax.prefecturalPerCapita,
    tax.total,
  ];
}

export function sealImageDigest(base64Png: string): Uint8Array {
  return new Uint8Array(
    createHash('sha256').update(Buffer.from(base64Png, 'base64')).digest().subarray(0, 16),
  );
}

/**
 * The facts printed on page `page` (0-based) of a document with this content. The split into
 * pages follows documents.ts (pageCountFor and its helpers), which the templates also follow.
 */
export function sealFactsForPage(content: CertificateContent, page: number): SealFacts {
  switch (content.kind) {
    case 'juminhyo':
      return {
        names: slice(content.members, page, JUMINHYO_MEMBERS_PER_PAGE).map((m) => m.name),
        address: content.address,
        ...(content.honseki === undefined ? {} : { honseki: content.honseki }),
        ...(content.hittousha === undefined ? {} : { hittousha: content.hittousha }),
      };
    case 'juminhyo-kisai':
      return {
        names: slice(content.members, page, JUMINHYO_MEMBERS_PER_PAGE).map((m) => m.name),
        address: content.address,
      };
    case 'inkan':
      return {
        names: [content.name],
        address: content.address,
        registrationNumber: content.registrationNumber,
        sealImageDigest: sealImageDigest(content.sealImage.data),
      };
    case 'shotoku-kazei':
      return {
        names: [content.name],
        address: content.address,
        taxYear: content.fiscalYear,
        amounts: shotokuAmounts(content),
      };
    case 'nozei':
      return {
        names: [content.name],
        address: content.address,
        taxYear: content.fiscalYear,
        amounts: slice(content.items, page, NOZEI_ITEMS_PER_PAGE).flatMap((item) => [
          item.assessedYen,
          item.paidYen,
          item.unpaidYen,
        ]),
      };
    case 'koseki-zenbu':
    case 'koseki-kojin': {
      const onPage = kosekiPages(content)[page] ?? [];
      return {
        honseki: content.honseki,
        hittousha: content.hittousha,
        names: onPage.map((i) => content.members[i]!.name),
      };
    }
    case 'koseki-fuhyo': {
      const onPage = slice(content.addresses, page, FUHYO_ADDRESSES_PER_PAGE).map((a) => a.address);
      return {
        honseki: content.honseki,
        hittousha: content.hittousha,
        names: [content.name],
        addresses: newestWithinBudget(onPage),
        addressCount: onPage.length,
      };
    }
  }
}

/** SealFacts as a CBOR-ready map with short keys, in a fixed key order. */
export function encodeSealFacts(facts: SealFacts): Map<number, unknown> {
  const map = new Map<number, unknown>();
  for (const [name, key] of Object.entries(FACT_KEYS) as [keyof SealFacts, number][]) {
    const value = facts[name];
    if (value !== undefined) map.set(key, value);
  }
  return map;
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= 64 && v.every((s) => typeof s === 'string' && s.length <= 256);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 256;
const isAmounts = (v: unknown): v is number[] =>
  Array.isArray(v) && v.length <= 128 && v.every((n) => Number.isSafeInteger(n) && n >= 0);

/** The inverse of encodeSealFacts; undefined for anything that is not a well-formed facts map. */
export function decodeSealFacts(value: unknown): SealFacts | undefined {
  if (!(value instanceof Map)) return undefined;
  const facts: SealFacts = {};
  for (const [key, v] of value) {
    switch (key) {
      case FACT_KEYS.names:
        if (!isStringArray(v)) return undefined;
        facts.names = v;
        break;
      case FACT_KEYS.address:
        if (!isText(v)) return undefined;
        facts.address = v;
        break;
      case FACT_KEYS.honseki:
        if (!isText(v)) return undefined;
        facts.honseki = v;
        break;
      case FACT_KEYS.hittousha:
        if (!isText(v)) return undefined;
        facts.hittousha = v;
        break;
      case FACT_KEYS.taxYear:
        if (!Number.isSafeInteger(v)) return undefined;
        facts.taxYear = v as number;
        break;
      case FACT_KEYS.amounts:
        if (!isAmounts(v)) return undefined;
        facts.amounts = v;
        break;
      case FACT_KEYS.registrationNumber:
        if (!isText(v)) return undefined;
        facts.registrationNumber = v;
        break;
      case FACT_KEYS.sealImageDigest:
        if (!(v instanceof Uint8Array) || v.length !== 16) return undefined;
        facts.sealImageDigest = new Uint8Array(v);
        break;
      case FACT_KEYS.addresses:
        if (!isStringArray(v)) return undefined;
        facts.addresses = v;
        break;
      case FACT_KEYS.addressCount:
        if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > 99) return undefined;
        facts.addressCount = v as number;
        break;
      default:
        return undefined;
    }
  }
  return facts;
}
