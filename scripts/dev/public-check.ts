import { buildPublicApp, type PublicCheckAnswer } from '../../server/public/public-app.ts';
import { verifyPrintedFiles } from '../../certificate-templates/verify-files.ts';
import { describeReport, reportJson } from '../../certificate-templates/verify-report.ts';
import { keysFromList } from '../../certificate-templates/verify-keys.ts';

/**
 * The centre's public check page wired to the verifier `npm run verify` runs: the keys are the
 * centre's published list, checked against the root keys, read again for every check so a
 * rotation or revocation applies at once.
 */
export async function startPublicCheck(options: {
  host: string;
  port: number;
  keyList: () => Promise<unknown>;
  roots: ReadonlyMap<string, Uint8Array>;
  https?: { certificatePem: string; privateKeyPem: string };
}): Promise<{ url: string; close(): Promise<void> }> {
  async function verify(files: { name: string; bytes: Uint8Array }[]): Promise<PublicCheckAnswer> {
    const loaded = keysFromList(await options.keyList(), options.roots);
    if ('kind' in loaded)
      return { ok: false, text: `key list refused: ${loaded.kind}`, report: { error: loaded } };
    const result = await verifyPrintedFiles(files, loaded.keys);
    if (!result.ok) {
      return {
        ok: false,
        text: `読み取れません / cannot read: ${result.error.kind}`,
        report: { error: result.error },
      };
    }
    const note = `鍵一覧 / key list: ${loaded.issuedAt}`;
    return {
      ok: result.report.ok,
      text: describeReport(result.report, note),
      report: reportJson(result.report),
    };
  }
  const app = buildPublicApp({
    verify,
    keyList: options.keyList,
    ...(options.https ? { https: options.https } : {}),
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `${options.https ? 'https' : 'http'}://${host}:${port}`, close: () => app.close() };
}
