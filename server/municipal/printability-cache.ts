import { createHash } from 'node:crypto';
import type { CertificateDocument } from '../../protocol/documents.ts';
import { japanDateOf } from '../../certificate-templates/wareki.ts';
import type { PrintabilityCheck } from './printability.ts';

/**
 * The printability check remembered per document content: sign-in checks the 住民票 of every
 * scope, and issue checks the document again before signing it, so the same resident's same
 * register entries were laid out on the form several times per transaction. The answer depends
 * only on what is printed, so the key is everything printed — the municipality, the type, the
 * page count, the content (names, addresses, register entries) and the issue date in Japan (the
 * forms print the issue time as that date only, certificate-templates/certification.ts) — and not
 * the per-document random parts
 * (document id, transaction id, holder salt and binding, all of fixed length and alphabet). A
 * change in the register changes the content, hence the key: no stale answer. Bounded: the
 * oldest entries go first.
 */
export function memoisedPrintability(
  check: PrintabilityCheck,
  maxEntries = DEFAULT_REMEMBERED,
): PrintabilityCheck {
  const answers = new Map<string, ReturnType<PrintabilityCheck>>();
  return (document: CertificateDocument) => {
    const key = printedContentKey(document);
    const known = answers.get(key);
    if (known) return known;
    const answer = check(document);
    if (answers.size >= maxEntries) answers.delete(answers.keys().next().value as string);
    answers.set(key, answer);
    return answer;
  };
}

/** Answers kept by default: the documents of about two thousand residents' menus. */
export const DEFAULT_REMEMBERED = 20_000;

/** SHA-256 of what the form prints of `document`, without its per-document random parts. */
export function printedContentKey(document: CertificateDocument): string {
  const { content } = document;
  // The 印影 (a PNG in base64, ~94 kB where the rest of a document is 0.3–4 kB) is hashed as it
  // is, after the JSON of everything else, rather than run through JSON.stringify: base64 needs no
  // escaping, and the JSON text holds no raw newline, so the newline ends the JSON part and the
  // two parts cannot be confused.
  const image = content.kind === 'inkan' ? content.sealImage.data : undefined;
  const printed = {
    certificateType: document.certificateType,
    municipality: document.municipality,
    pageCount: document.pageCount,
    issuedOn: japanDateOf(document.issuedAt),
    content:
      content.kind === 'inkan' ? { ...content, sealImage: { ...content.sealImage, data: '' } } : content,
  };
  // JSON.stringify, not a canonical form: the same content always comes from the same builder in
  // the same key order, and two different contents never give one text; a different key order
  // would only miss the cache. (canonicalize cost ~4% of an issuance's CPU.)
  const hash = createHash('sha256').update(JSON.stringify(printed));
  if (image !== undefined) hash.update('\n').update(image);
  return hash.digest('hex');
}
