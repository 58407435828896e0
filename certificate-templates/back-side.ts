/**
 * The back side of a sheet, printed when the kiosk's printer duplexes (render option `duplex`).
 *
 * It carries the 複写 地紋 and the microtext like the front, and a fixed statement of the paper's
 * security features, the document id and which front page it backs. It carries no seal and no
 * personal data: the seals, the page numbering ("i / n") and everything `npm run verify` checks
 * are on the front pages only. The wording is the product's (what this paper does), not a
 * municipality's, so the verifier can recognise a back page exactly: a page without a QR whose
 * whole text layer is `backSideText(id, i, n)` of the front page just before it.
 */
export const BACK_SIDE_HEADING = '偽造防止のための表示（裏面）';

export const BACK_SIDE_NOTICE = [
  'この証明書の用紙には、偽造・改ざんを防ぐため次のものが印刷されています。',
  '・地紋：複写すると「複写」の文字が浮き出ます。',
  '・微小文字：表面の上下の細い線は、拡大すると証明書番号の文字列です。',
  '・潜像：表面右上の網の箱は、複写すると「無効」の文字が現れます。',
  '・二次元コード：各ページの記載事項と証明書番号に発行市区町村が電子署名したものです。市区町村の公開鍵で署名を確かめ、表面の記載と照合できます。',
  '複写したもの、二次元コードの署名が確かめられないもの、記載が二次元コードの記録と異なるものは、証明書として使用できません。',
] as const;

/** Which front page a back side backs, as printed on it. */
export function backSideFooter(documentId: string, page: number, pageCount: number): string {
  return `証明書番号\u3000${documentId}\u3000（${page} / ${pageCount} ページの裏面）`;
}

/** The whole text of the back of front page `page` (as the verifier expects it, before normalising). */
export function backSideText(documentId: string, page: number, pageCount: number): string {
  return [BACK_SIDE_HEADING, ...BACK_SIDE_NOTICE, backSideFooter(documentId, page, pageCount)].join('\n');
}
