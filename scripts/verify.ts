/**
 * `npm run verify -- FILE... [--keys KEYLIST.json --root ROOTS.pem | --centre URL [--root ROOTS.pem]] [--json]`
 * Verifies a printed certificate: a PDF, or scanned pages (PNG/JPEG, in page order). Decodes
 * every page's QR seal, checks it against the published keys (a root-signed key list from a file,
 * or fetched once from the centre), checks the pages belong together and, for a PDF, that each
 * page's text shows the facts its seal signs. Prints the signed facts in Japanese and English.
 * Exit 0 only when every check passes; 1 when the paper fails a check; 2 on a usage or key error.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeReport, reportJson } from '../certificate-templates/verify-report.ts';
import { verifyPrintedFiles } from '../certificate-templates/verify-files.ts';
import { keysFromList, rootKeysFromPem, type LoadedKeys } from '../certificate-templates/verify-keys.ts';

const USAGE =
  'usage: npm run verify -- FILE... --root ROOTS.pem (--keys KEYLIST.json | --centre URL) [--json]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function loadKeys(values: { keys?: string; root?: string; centre?: string }): Promise<LoadedKeys> {
  if (!values.root)
    fail(`--root is required: the root public keys (PEM) the key list is signed with\n${USAGE}`);
  const parsed = rootKeysFromPem(
    await readFile(values.root, 'utf8').catch(() => fail(`cannot read ${values.root}`)),
  );
  if (!(parsed instanceof Map))
    fail(`root keys: ${parsed.kind}${'detail' in parsed ? ` (${parsed.detail})` : ''}`);
  const roots = parsed;
  let list: unknown;
  if (values.keys) {
    try {
      list = JSON.parse(await readFile(values.keys, 'utf8'));
    } catch {
      fail(`cannot read the key list ${values.keys} (JSON)`);
    }
  } else if (values.centre) {
    const url = new URL('/v1/municipality-keys', values.centre);
    try {
      const response = await fetch(url);
      if (!response.ok) fail(`${url}: HTTP ${response.status}`);
      list = await response.json();
    } catch (e) {
      fail(`cannot fetch ${url}: ${e instanceof Error ? e.message : 'error'}`);
    }
  } else {
    fail(`--keys or --centre is required\n${USAGE}`);
  }
  const loaded = keysFromList(list, roots);
  if ('kind' in loaded)
    fail(`key list refused: ${loaded.kind}${'detail' in loaded ? ` (${loaded.detail})` : ''}`);
  return loaded;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      keys: { type: 'string' },
      root: { type: 'string' },
      centre: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length === 0) fail(`a FILE is required\n${USAGE}`);
  const loaded = await loadKeys(values);
  const files = [];
  for (const name of positionals) {
    files.push({ name, bytes: await readFile(name).catch(() => fail(`cannot read ${name}`)) });
  }
  const result = await verifyPrintedFiles(files, loaded.keys);
  if (!result.ok) {
    const e = result.error;
    if (values.json) console.log(JSON.stringify({ ok: false, error: e }, null, 2));
    else console.error(`cannot read ${e.path}: ${e.kind}${'detail' in e ? ` (${e.detail})` : ''}`);
    return 1;
  }
  const { report } = result;
  if (values.json) {
    console.log(
      JSON.stringify({ ...(reportJson(report) as object), keyListIssuedAt: loaded.issuedAt }, null, 2),
    );
  } else {
    console.log(describeReport(report, `鍵一覧 / key list: ${loaded.issuedAt}`));
  }
  if (!report.ok && !values.json) {
    console.error(
      `\n${report.failures.length} check(s) failed: ${report.failures.map((f) => f.kind).join(', ')}`,
    );
  }
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
