/**
 * The terminal CA's CRL, kept current while the centre runs: read from its file at start, again
 * when the file changes (fs.watch) and on a schedule (in case a watch event is lost). Each new CRL
 * is checked (signed by the terminal CA, current) before it replaces the TLS context, so a revoked
 * kiosk is refused at its next handshake, and its open connections are closed. A CRL that is about
 * to expire is reported (log and `status()`) before OpenSSL starts failing every handshake.
 */
import 'reflect-metadata'; // @peculiar/x509 needs it loaded first
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { checkCrl, type CrlProblem } from '../auth/crl.ts';

/** What the centre knows about its terminal CRL now. */
export type TerminalCrlStatus =
  | { state: 'current' | 'expiring'; nextUpdate: Date; revokedSerials: number }
  | { state: 'expired'; nextUpdate?: Date }
  /** The file could not be used; the previous CRL (if any) stays in force. */
  | { state: 'unusable'; problem: CrlProblem | 'unreadable' };

export interface TerminalCrlLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface TerminalCrlWatcherOptions {
  /** The CRL file (PEM or DER). */
  path: string;
  /** The terminal CA(s), PEM: the CRL must be signed by one of them. */
  terminalCaPem: string | string[];
  /** Installs a checked CRL (PEM) for new handshakes. */
  apply(crlPem: string): void;
  /** Connections to close when their kiosk's certificate is now revoked. */
  openConnections?: () => Iterable<TLSSocket>;
  now?: () => Date;
  /** Re-read period; default 5 minutes. */
  refreshMs?: number;
  /** Report an expiring CRL this long before nextUpdate; default 24 hours. */
  warnBeforeMs?: number;
  log: TerminalCrlLog;
}

const DEFAULT_REFRESH_MS = 5 * 60_000;
const DEFAULT_WARN_BEFORE_MS = 24 * 3_600_000;
const WATCH_SETTLE_MS = 50;

function pemBlocks(pem: string | string[]): string[] {
  const text = Array.isArray(pem) ? pem.join('\n') : pem;
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function crlDerOf(bytes: Buffer): Uint8Array | undefined {
  const text = bytes.toString('latin1');
  const pem = /-----BEGIN X509 CRL-----([\s\S]+?)-----END X509 CRL-----/.exec(text);
  if (pem) return Uint8Array.from(Buffer.from(pem[1]!.replace(/\s+/g, ''), 'base64'));
  return bytes.length > 0 && bytes[0] === 0x30 ? Uint8Array.from(bytes) : undefined;
}

function crlPemOf(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN X509 CRL-----\n${lines.join('\n')}\n-----END X509 CRL-----\n`;
}

function normalisedSerial(hex: string): string {
  return hex.toLowerCase().replace(/^0+(?=.)/, '');
}

export class TerminalCrlWatcher {
  private readonly caDers: Uint8Array[];
  private readonly now: () => Date;
  private current: TerminalCrlStatus = { state: 'unusable', problem: 'unreadable' };
  private appliedDerHex: string | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settle: NodeJS.Timeout | undefined;
  private reloading: Promise<TerminalCrlStatus> | undefined;

  constructor(private readonly opts: TerminalCrlWatcherOptions) {
    this.caDers = pemBlocks(opts.terminalCaPem).map(
      (pem) => new Uint8Array(new x509.X509Certificate(pem).rawData),
    );
    this.now = opts.now ?? (() => new Date());
  }

  /** Loads the CRL once, then follows the file and the schedule until `close()`. */
  async start(): Promise<TerminalCrlStatus> {
    const status = await this.reload();
    // Watch the folder: editors and `mv` replace the file, which ends a watch on the file itself.
    this.watcher = watch(dirname(this.opts.path), (_event, name) => {
      if (name !== null && name !== basename(this.opts.path)) return;
      clearTimeout(this.settle);
      this.settle = setTimeout(() => void this.reload(), WATCH_SETTLE_MS);
    });
    this.watcher.on('error', (error) =>
      this.opts.log.error({ err: error.message }, 'terminal CRL watch failed'),
    );
    this.timer = setInterval(() => void this.reload(), this.opts.refreshMs ?? DEFAULT_REFRESH_MS);
    this.timer.unref();
    return status;
  }

  status(): TerminalCrlStatus {
    return this.current;
  }

  /** Re-reads the file now (one read at a time). */
  reload(): Promise<TerminalCrlStatus> {
    this.reloading ??= this.readAndApply().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  close(): void {
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.settle);
  }

  private async readAndApply(): Promise<TerminalCrlStatus> {
    let der: Uint8Array | undefined;
    try {
      der = crlDerOf(await readFile(this.opts.path));
    } catch {
      return this.report({ state: 'unusable', problem: 'unreadable' });
    }
    if (!der) return this.report({ state: 'unusable', problem: 'crl-malformed' });
    const now = this.now();
    let lastProblem: CrlProblem = 'crl-wrong-issuer';
    for (const caDer of this.caDers) {
      const checked = await checkCrl(der, caDer, now, 0);
      if (!checked.ok) {
        if (checked.problem !== 'crl-wrong-issuer') lastProblem = checked.problem;
        continue;
      }
      const derHex = Buffer.from(der).toString('hex');
      if (derHex !== this.appliedDerHex) {
        this.opts.apply(crlPemOf(der));
        this.appliedDerHex = derHex;
        this.closeRevokedConnections(new Set(checked.crl.revoked.keys()));
        this.opts.log.info({ revokedSerials: checked.crl.revoked.size }, 'terminal CRL loaded');
      }
      const left = checked.crl.nextUpdate.getTime() - now.getTime();
      return this.report({
        state: left <= (this.opts.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS) ? 'expiring' : 'current',
        nextUpdate: checked.crl.nextUpdate,
        revokedSerials: checked.crl.revoked.size,
      });
    }
    if (lastProblem === 'crl-stale') {
      const nextUpdate = new x509.X509Crl(Uint8Array.from(der)).nextUpdate;
      return this.report({ state: 'expired', ...(nextUpdate ? { nextUpdate } : {}) });
    }
    return this.report({ state: 'unusable', problem: lastProblem });
  }

  private closeRevokedConnections(revoked: ReadonlySet<string>): void {
    for (const socket of this.opts.openConnections?.() ?? []) {
      const serial = socket.getPeerCertificate()?.serialNumber;
      if (serial && revoked.has(normalisedSerial(serial))) socket.destroy();
    }
  }

  private report(status: TerminalCrlStatus): TerminalCrlStatus {
    this.current = status;
    const fields = {
      state: status.state,
      ...('nextUpdate' in status && status.nextUpdate ? { nextUpdate: status.nextUpdate.toISOString() } : {}),
      ...('problem' in status ? { problem: status.problem } : {}),
    };
    if (status.state === 'expiring')
      this.opts.log.warn(fields, 'terminal CRL expires soon: publish a new one');
    else if (status.state === 'expired')
      this.opts.log.error(
        fields,
        'terminal CRL expired: every kiosk handshake fails until a new one is published',
      );
    else if (status.state === 'unusable')
      this.opts.log.error(fields, 'terminal CRL not usable: the previous one stays');
    return status;
  }
}

/** The server's open TLS connections, kept as they come and go (for closing revoked kiosks). */
export function trackTlsConnections(server: TlsServer): () => Iterable<TLSSocket> {
  const open = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return () => open;
}
