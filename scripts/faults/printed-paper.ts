/**
 * The fault test's look at the paper itself, as a bank would check it: every page's seal verifies
 * against the published keys, and the seal binds the card that paid (the journal's certificate
 * fingerprint), not another resident's.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { verifyPrintedFiles } from '../../certificate-templates/verify-files.ts';
import { keysFromList, rootKeysFromPem } from '../../certificate-templates/verify-keys.ts';
import type { PublishedSealKeys } from '../../protocol/seal-keys.ts';
import { holderBindingFor } from '../../protocol/seal.ts';
import type { startCentre } from '../../server/centre.ts';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The centre's published key list, checked against the world's root keys. */
export async function publishedKeysOf(
  centre: Awaited<ReturnType<typeof startCentre>>,
  rootKeysPemPath: string,
): Promise<PublishedSealKeys> {
  const roots = rootKeysFromPem(await readFile(rootKeysPemPath, 'utf8'));
  if (!(roots instanceof Map)) throw new Error(`root keys: ${roots.kind}`);
  const list = await centre.centre.service.municipalityKeys();
  if (!list.ok) throw new Error(`key list: ${list.error.kind}`);
  const loaded = keysFromList(list.value, roots);
  if ('kind' in loaded) throw new Error(`key list refused: ${loaded.kind}`);
  return loaded.keys;
}

/** 'ok', or the violation: the paper does not verify, or it is bound to another card. */
export async function checkPrintedPaper(
  pdfPath: string,
  keys: PublishedSealKeys,
  paidCertificateSha256: string | null,
): Promise<string> {
  const read = await verifyPrintedFiles([{ name: basename(pdfPath), bytes: await readFile(pdfPath) }], keys);
  if (!read.ok) return `the printed paper cannot be read (${read.error.kind})`;
  const { report } = read;
  if (!report.ok)
    return `the printed paper does not verify (${report.failures.map((f) => f.kind).join(', ')})`;
  const bound = report.pages.every(
    ({ payload }) =>
      paidCertificateSha256 !== null &&
      hex(payload.holderBinding) === holderBindingFor(hex(payload.holderSalt), paidCertificateSha256),
  );
  return bound ? 'ok' : 'printed for another card';
}
