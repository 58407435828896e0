/**
 * `npx tsx scripts/dev-pki.ts --out DIR [--terminal S0001-T01 …] [--revoke S0001-T02]`
 *
 * The transport PKI of the demo and the tests: the centre's dev CA (the terminal CA), the
 * centre's server certificate (localhost, 127.0.0.1, ::1) and one client certificate per kiosk
 * terminal (subject `C=JP, O=<store code>, OU=kiosk terminal, CN=<terminal id>`, see
 * server/tls/terminalIdentity.ts), plus the CA's CRL. ECDSA P-256, SHA-256. Layout of DIR:
 *
 *   ca.pem, ca.key.pem              the dev terminal CA (also signs the server certificate)
 *   ca.crl.pem                      its CRL (revoked terminals)
 *   centre.pem, centre.key.pem      the centre's server certificate (serverAuth)
 *   terminals/<id>.pem, <id>.key.pem  kiosk client certificates (clientAuth)
 *   pki.json                        manifest
 *
 * Test and demo material only: private keys are written unencrypted (mode 0600).
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import * as x509 from '../native/test-pki/x509.ts';
import { createCrl, crlPem } from '../native/test-pki/crl.ts';
import { TERMINAL_OU } from '../server/tls/terminalIdentity.ts';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

export interface TerminalSpec {
  terminalId: string;
  /** Defaults to the part of the terminal id before the first '-'. */
  storeCode?: string;
  /** Override the validity (tests of an expired or not-yet-valid terminal). */
  notBefore?: Date;
  notAfter?: Date;
  /** Listed on the CA's CRL. */
  revoked?: boolean;
}

export interface DevPkiOptions {
  outDir: string;
  terminals: readonly TerminalSpec[];
  /** DNS names and IP addresses in the server certificate; default localhost, 127.0.0.1, ::1. */
  serverNames?: readonly string[];
  now?: Date;
  /** Subject CN of the CA (tests make a second, untrusted CA with the same name). */
  caName?: string;
}

export interface TerminalCredentials {
  terminalId: string;
  storeCode: string;
  certificatePem: string;
  privateKeyPem: string;
  serialNumber: string;
}

export interface DevPki {
  dir: string;
  caPem: string;
  caPrivateKeyPem: string;
  crlPem: string;
  server: { certificatePem: string; privateKeyPem: string };
  terminals: Map<string, TerminalCredentials>;
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY') + '\n';
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

const isIp = (name: string) => /^[0-9.]+$/.test(name) || name.includes(':');

/** Creates the dev transport PKI in `outDir` (overwriting) and returns it. */
export async function createDevPki(opts: DevPkiOptions): Promise<DevPki> {
  const now = opts.now ?? new Date();
  const dir = resolve(opts.outDir);
  await mkdir(join(dir, 'terminals'), { recursive: true });

  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `C=JP, O=Konbini Kofu Dev Centre, CN=${opts.caName ?? 'Dev Terminal CA'}`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
    keys: caKeys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });

  async function leaf(
    subject: string,
    usage: 'server' | 'client',
    validity: { notBefore: Date; notAfter: Date },
    names: readonly string[] = [],
  ) {
    const keys = await keyPair();
    const serialNumber = randomSerial();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber,
      subject,
      issuer: ca.subjectName,
      ...validity,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: SIGN,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension(
          [usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
          false,
        ),
        ...(names.length
          ? [
              new x509.SubjectAlternativeNameExtension(
                names.map((name) => ({ type: isIp(name) ? ('ip' as const) : ('dns' as const), value: name })),
                false,
              ),
            ]
          : []),
        await x509.AuthorityKeyIdentifierExtension.create(ca, false, crypto),
      ],
    });
    return {
      certificatePem: certificate.toString('pem') + '\n',
      privateKeyPem: await privateKeyPem(keys.privateKey),
      serialNumber,
    };
  }

  const defaultValidity = {
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 2 * 365 * DAY_MS),
  };
  const server = await leaf(
    'C=JP, O=Konbini Kofu Dev Centre, CN=localhost',
    'server',
    defaultValidity,
    opts.serverNames ?? ['localhost', '127.0.0.1', '::1'],
  );

  const terminals = new Map<string, TerminalCredentials>();
  for (const spec of opts.terminals) {
    const storeCode = spec.storeCode ?? spec.terminalId.split('-')[0] ?? '';
    const issued = await leaf(`C=JP, O=${storeCode}, OU=${TERMINAL_OU}, CN=${spec.terminalId}`, 'client', {
      notBefore: spec.notBefore ?? defaultValidity.notBefore,
      notAfter: spec.notAfter ?? defaultValidity.notAfter,
    });
    terminals.set(spec.terminalId, { terminalId: spec.terminalId, storeCode, ...issued });
  }

  const crlDer = await createCrl(
    { certificate: ca, privateKey: caKeys.privateKey },
    {
      thisUpdate: new Date(now.getTime() - 60_000),
      nextUpdate: new Date(now.getTime() + 365 * DAY_MS),
      entries: opts.terminals
        .filter((t) => t.revoked)
        .map((t) => ({ serialNumberHex: terminals.get(t.terminalId)!.serialNumber, revokedAt: now })),
      signingAlgorithm: SIGN,
    },
  );

  const pki: DevPki = {
    dir,
    caPem: ca.toString('pem') + '\n',
    caPrivateKeyPem: await privateKeyPem(caKeys.privateKey),
    crlPem: crlPem(crlDer),
    server,
    terminals,
  };
  const secret = { mode: 0o600 };
  await writeFile(join(dir, 'ca.pem'), pki.caPem);
  await writeFile(join(dir, 'ca.key.pem'), pki.caPrivateKeyPem, secret);
  await writeFile(join(dir, 'ca.crl.pem'), pki.crlPem);
  await writeFile(join(dir, 'centre.pem'), server.certificatePem);
  await writeFile(join(dir, 'centre.key.pem'), server.privateKeyPem, secret);
  for (const t of terminals.values()) {
    await writeFile(join(dir, 'terminals', `${t.terminalId}.pem`), t.certificatePem);
    await writeFile(join(dir, 'terminals', `${t.terminalId}.key.pem`), t.privateKeyPem, secret);
  }
  await writeFile(
    join(dir, 'pki.json'),
    JSON.stringify(
      {
        format: 'kiosk-dev-pki/1',
        createdAt: now.toISOString(),
        terminals: [...terminals.values()].map((t) => ({
          terminalId: t.terminalId,
          storeCode: t.storeCode,
          serialNumber: t.serialNumber,
          revoked: opts.terminals.some((s) => s.terminalId === t.terminalId && s.revoked),
        })),
      },
      null,
      2,
    ) + '\n',
  );
  return pki;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      terminal: { type: 'string', multiple: true },
      revoke: { type: 'string', multiple: true },
    },
    strict: true,
  });
  if (!values.out) {
    console.error('usage: npx tsx scripts/dev-pki.ts --out DIR [--terminal S0001-T01 …] [--revoke ID …]');
    process.exit(2);
  }
  const revoked = new Set(values.revoke ?? []);
  const ids = values.terminal?.length ? values.terminal : ['S0001-T01', 'S0001-T02', 'S0002-T01'];
  const pki = await createDevPki({
    outDir: values.out,
    terminals: [...new Set([...ids, ...revoked])].map((terminalId) => ({
      terminalId,
      revoked: revoked.has(terminalId),
    })),
  });
  console.log(`dev PKI in ${pki.dir}: CA, centre certificate, ${pki.terminals.size} terminal certificate(s)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
