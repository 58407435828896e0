import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';

/**
 * The centre's public listener, without mutual TLS, for counter staff and banks: a page that
 * checks a printed certificate (upload a PDF or photos/scans of its pages; a phone offers its
 * camera for the photo), the check itself (`POST /verify`), and the published key lists so anyone
 * can verify offline. It holds no personal data: the uploaded file is checked in memory and
 * dropped; logs carry no file contents.
 *
 * The check is a port (`verify`): the composition (scripts/centre.ts) plugs in the same verifier
 * `npm run verify` runs (certificate-templates/verify-files.ts).
 */
export interface PublicCheckAnswer {
  ok: boolean;
  /** The report for people (Japanese and English). */
  text: string;
  /** The report for machines. */
  report: unknown;
}

export interface PublicAppOptions {
  verify(files: { name: string; bytes: Uint8Array }[]): Promise<PublicCheckAnswer>;
  /** What GET /v1/municipality-keys answers: the published (root-signed) key list. */
  keyList(): Promise<unknown>;
  /** HTTPS with the centre's server certificate (no client certificate asked). Absent = plain HTTP (loopback). */
  https?: { certificatePem: string; privateKeyPem: string };
  logger?: boolean;
}

/** Uploads: at most 8 files, 24 MB in all (a 600 dpi scan of a page is a few MB). */
const MAX_BODY = 32 * 1024 * 1024;
const UploadSchema = z.strictObject({
  files: z
    .array(
      z.strictObject({
        name: z.string().max(200),
        data: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/),
      }),
    )
    .min(1)
    .max(8),
});

export function buildPublicApp(options: PublicAppOptions): FastifyInstance {
  const common = { logger: options.logger ?? false, bodyLimit: MAX_BODY };
  const app = options.https
    ? (Fastify({
        ...common,
        https: {
          cert: options.https.certificatePem,
          key: options.https.privateKeyPem,
          minVersion: 'TLSv1.2',
        },
      }) as unknown as FastifyInstance)
    : Fastify(common);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'self'",
    );
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get('/check.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(SCRIPT));
  app.get('/v1/municipality-keys', async () => options.keyList());
  app.post('/verify', async (request, reply) => {
    const parsed = UploadSchema.safeParse(request.body);
    if (!parsed.success) return reply.code(400).send({ error: 'bad-request' });
    const files = parsed.data.files.map((f) => ({
      name: f.name,
      bytes: new Uint8Array(Buffer.from(f.data, 'base64')),
    }));
    return options.verify(files);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ error: 'not-found' }));
  app.setErrorHandler((error: { statusCode?: number }, _request, reply) => {
    const status = typeof error.statusCode === 'number' && error.statusCode < 500 ? error.statusCode : 500;
    return reply
      .code(status)
      .send({ error: status === 413 ? 'too-large' : status < 500 ? 'bad-request' : 'internal' });
  });
  return app;
}

const PAGE = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>証明書の検証 / Verify a certificate</title>
<style>
body { font-family: sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: 1rem; }
.ok { color: #05620f; } .ng { color: #b00020; }
button { font-size: 1.1rem; padding: .5rem 1.5rem; }
</style>
</head>
<body>
<h1>コンビニ交付 証明書の検証<br><small>Verify a convenience-store certificate</small></h1>
<p>証明書のPDF、または各ページのスキャン画像・写真（PNG/JPEG、ページ順）を選んでください。
各ページの二次元コード（市区町村の電子署名）を公開鍵で確かめ、ページのそろい、記載事項との一致を確認します。</p>
<p>Choose the certificate's PDF, or scans/photos of its pages (PNG/JPEG, in page order). Each page's QR seal
is checked against the municipalities' published keys, the pages against each other and against the signed facts.</p>
<form id="check">
<p><input id="files" type="file" multiple accept="application/pdf,image/png,image/jpeg" capture="environment"></p>
<p><button type="submit">検証する / Verify</button></p>
</form>
<h2 id="verdict"></h2>
<pre id="report"></pre>
<p><a href="/v1/municipality-keys">公開鍵一覧 / published keys</a></p>
<script src="/check.js"></script>
</body>
</html>
`;

const SCRIPT = `'use strict';
const form = document.getElementById('check');
const input = document.getElementById('files');
const verdict = document.getElementById('verdict');
const report = document.getElementById('report');
function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!input.files.length) return;
  verdict.textContent = '確認中… / checking…';
  verdict.className = '';
  report.textContent = '';
  const files = [];
  for (const file of input.files) files.push({ name: file.name, data: base64(await file.arrayBuffer()) });
  const response = await fetch('/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ files }) });
  const answer = await response.json();
  if (!response.ok) { verdict.textContent = '読み取れませんでした / could not check (' + answer.error + ')'; verdict.className = 'ng'; return; }
  verdict.textContent = answer.ok ? '検証成功 / VERIFIED' : '検証失敗 / NOT VERIFIED';
  verdict.className = answer.ok ? 'ok' : 'ng';
  report.textContent = answer.text;
});
`;
