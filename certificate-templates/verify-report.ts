import { CERTIFICATE_TITLES_JA } from '../protocol/certificate-types.ts';
import type { SealPayload } from '../protocol/seal.ts';
import type { VerifyFailure, VerifyReport } from './verify-document.ts';

/**
 * The verification report for people (Japanese and English, the signed facts for a check by eye)
 * and for machines (JSON). Used by `npm run verify` and the centre's public check page.
 */

/** One line per failure: Japanese / English. */
export function describeFailure(f: VerifyFailure): string {
  const at = 'position' in f ? `${f.source}: ` : '';
  switch (f.kind) {
    case 'seal-missing':
      return `${at}二次元コード（電子署名）が読み取れません / no seal (QR code) found on this page`;
    case 'several-seals':
      return `${at}二次元コードが${f.count}個あります / ${f.count} seals on one page`;
    case 'seal-text-prefix':
    case 'seal-text-empty':
    case 'seal-text-encoding':
    case 'seal-malformed':
      return `${at}二次元コードは証明書の電子署名ではありません / the QR code is not a certificate seal (${f.kind})`;
    case 'seal-unknown-key':
      return `${at}公開されていない鍵の署名です / unknown key ${f.kid}`;
    case 'seal-signature-invalid':
      return `${at}電子署名が正しくありません / signature invalid (key ${f.kid})`;
    case 'seal-key-wrong-municipality':
      return `${at}他の市区町村の鍵による署名です / key of another municipality: key ${f.kid} belongs to ${f.keyMunicipality}, the seal names ${f.sealMunicipality}`;
    case 'seal-key-revoked':
      return `${at}失効した鍵の署名です / revoked key ${f.kid} (revoked ${f.revokedAt})`;
    case 'seal-key-expired':
      return `${at}有効期限切れの鍵の署名です / key ${f.kid} expired (${f.validTo})`;
    case 'seal-key-not-yet-valid':
      return `${at}有効期間前の鍵の署名です / key ${f.kid} not yet valid when the seal was made (${f.validFrom})`;
    case 'seal-issued-at-invalid':
      return `${at}署名の発行日時が不正です / the seal's issue time is invalid (key ${f.kid})`;
    case 'seal-document-mismatch':
      return `${at}署名が文書と一致しません / seal does not match the document (page ${f.page}, ${f.field})`;
    case 'page-from-another-document':
      return `${at}別の証明書のページです / page from another document (${f.documentId}, expected ${f.expectedDocumentId})`;
    case 'page-repeated':
      return `${at}${f.page}ページ目が重複しています / page ${f.page} repeated`;
    case 'page-out-of-order':
      return `${at}${f.page}ページ目の位置が違います / page ${f.page} out of order (found at position ${f.position})`;
    case 'page-missing':
      return `${f.page}ページ目（全${f.pageCount}ページ）がありません / page ${f.page} of ${f.pageCount} missing`;
    case 'text-differs':
      return `${at}${f.page}ページ目の記載が署名と異なります（${f.fact}: ${f.expected}）/ text differs from the seal on page ${f.page} (${f.fact}: ${f.expected})`;
    case 'text-overlaid':
      return `${at}${f.page}ページ目の文字に重ね書きがあります（${f.words.join(' / ')}）/ text overlaid on page ${f.page}`;
  }
}

function jst(seconds: number): string {
  return new Date(seconds * 1000 + 9 * 3600_000).toISOString().replace(/\.000Z$/u, '+09:00');
}

/** The signed facts of one page, Japanese label / English label: value. */
export function describePayload(p: SealPayload): string[] {
  const lines = [
    `証明書番号 / document id: ${p.documentId}`,
    `ページ / page: ${p.page} / ${p.pageCount}`,
    `種類 / type: ${CERTIFICATE_TITLES_JA[p.certificateType]} (${p.certificateType})`,
    `市区町村コード / municipality: ${p.municipalityCode}`,
    `発行日時 / issued: ${jst(p.issuedAt)}`,
  ];
  if (p.scope)
    lines.push(
      `範囲 / scope: ${{ household: '世帯全員', self: '本人のみ', members: '世帯の一部' }[p.scope]} (${p.scope})`,
    );
  const f = p.facts;
  if (f.names) lines.push(`氏名 / names: ${f.names.join('、')}`);
  if (f.address) lines.push(`住所 / address: ${f.address}`);
  if (f.honseki) lines.push(`本籍 / registered domicile: ${f.honseki}`);
  if (f.hittousha) lines.push(`筆頭者 / head of the family register: ${f.hittousha}`);
  if (f.taxYear !== undefined) lines.push(`年度 / fiscal year: ${f.taxYear}`);
  if (f.amounts)
    lines.push(`金額 / amounts (円, yen): ${f.amounts.map((n) => n.toLocaleString('en-US')).join(', ')}`);
  if (f.registrationNumber) lines.push(`登録番号 / registration number: ${f.registrationNumber}`);
  if (f.sealImageDigest)
    lines.push(`印影 SHA-256 / seal impression digest: ${Buffer.from(f.sealImageDigest).toString('hex')}…`);
  if (f.addresses) {
    const count = f.addressCount ?? f.addresses.length;
    lines.push(
      `住所（新しい順、${f.addresses.length}/${count}件）/ addresses (newest first, ${f.addresses.length} of ${count}): ${f.addresses.join(' ← ')}`,
    );
  }
  return lines;
}

export function describeReport(report: VerifyReport, keyNote?: string): string {
  const lines: string[] = [];
  lines.push(
    report.ok
      ? '検証成功：すべての確認に合格しました / VERIFIED: every check passed'
      : '検証失敗 / NOT VERIFIED',
  );
  if (keyNote) lines.push(keyNote);
  for (const failure of report.failures) lines.push(`  ✗ ${describeFailure(failure)}`);
  for (const notice of report.notices) {
    lines.push(
      `  ! ${notice.page}ページ目の鍵は発行後に失効しました（${notice.revokedAt}）/ page ${notice.page}: key revoked after issue (${notice.revokedAt})`,
    );
  }
  for (const page of report.pages) {
    lines.push(
      '',
      `[${page.source}] 署名鍵 / key ${page.kid}${page.textChecked ? '' : '（文字の照合なし / no text layer: compare by eye）'}`,
    );
    for (const line of describePayload(page.payload)) lines.push(`  ${line}`);
  }
  for (const back of report.backSides) {
    lines.push(
      '',
      `[${back.source}] ${back.page}ページ目の裏面（署名なし、照合対象外）/ back of page ${back.page} (no seal, not a page of the document)`,
    );
  }
  return lines.join('\n');
}

/** JSON for machines: byte fields as hex. */
export function reportJson(report: VerifyReport): unknown {
  return JSON.parse(
    JSON.stringify(report, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
    ),
  );
}
