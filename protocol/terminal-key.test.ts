import { sign, verify, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevPki, type DevPki } from '../scripts/dev-pki.ts';
import { terminalPublicKey } from './terminal-key.ts';

let dir: string;
let pki: DevPki;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'terminal-key-'));
  pki = await createDevPki({
    outDir: dir,
    terminals: [{ terminalId: 'S0001-T01' }, { terminalId: 'S0001-T02' }],
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const terminal = (id: string) => pki.terminals.get(id)!;
const derOf = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
const spki = (key: ReturnType<typeof terminalPublicKey>) => key?.export({ type: 'spki', format: 'der' });

describe("a terminal certificate's public key", () => {
  it('is the key of the certificate: it checks what the terminal signs, and only that', () => {
    const one = terminal('S0001-T01');
    const key = terminalPublicKey(derOf(one.certificatePem));
    expect(key).toBeDefined();
    const signature = sign('sha256', Buffer.from('delivered'), one.privateKeyPem);
    expect(verify('sha256', Buffer.from('delivered'), key!, signature)).toBe(true);
    const byOther = sign('sha256', Buffer.from('delivered'), terminal('S0001-T02').privateKeyPem);
    expect(verify('sha256', Buffer.from('delivered'), key!, byOther)).toBe(false);
  });

  it('is read once per certificate, from DER or PEM alike, and each certificate has its own', () => {
    const { certificatePem } = terminal('S0001-T01');
    const first = terminalPublicKey(derOf(certificatePem));
    // A new buffer with the same bytes (the next request's) gets the key already read.
    expect(terminalPublicKey(derOf(certificatePem))).toBe(first);
    expect(spki(terminalPublicKey(certificatePem))).toEqual(spki(first));
    const other = terminalPublicKey(derOf(terminal('S0001-T02').certificatePem));
    expect(spki(other)).not.toEqual(spki(first));
  });

  it('is none for bytes that are no certificate, each time they come', () => {
    const { certificatePem } = terminal('S0001-T01');
    const cut = derOf(certificatePem).subarray(0, 200);
    expect(terminalPublicKey(cut)).toBeUndefined();
    expect(terminalPublicKey(cut)).toBeUndefined();
    expect(
      terminalPublicKey('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
    ).toBeUndefined();
  });
});
