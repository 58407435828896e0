/**
 * A centre on loopback behind real mutual TLS, with a dev terminal PKI whose terminals can reach
 * it: each terminal's credentials for a kiosk client, and a JSON POST over that terminal's
 * connection. For tests of what the centre does with what a connection proved.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { createDevPki, type DevPki } from '../../scripts/dev-pki.ts';
import { startCentre } from '../centre.ts';
import { testSealKeyStore } from './seal-keys.ts';

/** A terminal's mutual-TLS credentials in the shape the kiosk's clients take. */
export interface TerminalTls {
  certificatePem: string;
  privateKeyPem: string;
  caPem: string;
}

export interface TlsCentreWithTerminals {
  pki: DevPki;
  centre: Awaited<ReturnType<typeof startCentre>>;
  /** The credentials of one of the terminals the PKI was made with. */
  tlsOf(terminalId: string): TerminalTls;
  /** POSTs `body` as JSON to `path` over `terminalId`'s connection: the status and the parsed answer. */
  postAs(terminalId: string, path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  /** Closes the connections, the centre, and removes the PKI's folder. */
  close(): Promise<void>;
}

/**
 * Makes a dev PKI with `terminalIds` (in a new temporary folder named from `prefix`) and starts an
 * in-memory centre trusting its CA for terminals, with no JPKI trust and the test seal keys.
 */
export async function startTlsCentreWithTerminals(
  prefix: string,
  terminalIds: readonly string[],
): Promise<TlsCentreWithTerminals> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const agents: Agent[] = [];
  try {
    const pki = await createDevPki({
      outDir: join(dir, 'pki'),
      terminals: terminalIds.map((terminalId) => ({ terminalId })),
    });
    const centre = await startCentre({
      databasePath: ':memory:',
      trustedCaCertificates: [],
      certificateRegistry: [],
      logger: false,
      sealKeys: { store: await testSealKeyStore() },
      tls: {
        certificatePem: pki.server.certificatePem,
        privateKeyPem: pki.server.privateKeyPem,
        terminalCaPem: pki.caPem,
      },
    });
    const tlsOf = (terminalId: string): TerminalTls => {
      const terminal = pki.terminals.get(terminalId);
      if (!terminal) throw new Error(`no terminal ${terminalId} in the test PKI`);
      return {
        certificatePem: terminal.certificatePem,
        privateKeyPem: terminal.privateKeyPem,
        caPem: pki.caPem,
      };
    };
    return {
      pki,
      centre,
      tlsOf,
      async postAs(terminalId, path, body) {
        const tls = tlsOf(terminalId);
        const agent = new Agent({
          connect: { cert: tls.certificatePem, key: tls.privateKeyPem, ca: tls.caPem },
        });
        agents.push(agent);
        const response = await undiciFetch(new URL(path, centre.url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          dispatcher: agent,
        });
        return { status: response.status, body: await response.json() };
      },
      async close() {
        await Promise.all(agents.map((a) => a.close()));
        await centre.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
