/**
 * Retention of issued documents. The document and its seal carry names, birth dates, 本籍 and tax
 * amounts; the centre keeps them only until the kiosk confirms delivery (`purgeDeliveredDocument`,
 * for the delivery route) or a short configured time has passed (`purgeExpiredDocuments`, run by
 * the centre's retention job). What stays for the records: transaction and holder ids, type,
 * copies, municipality, the request's and the document's SHA-256, the purge time, and billing.
 */
import { createHash } from 'node:crypto';
import type { CentreRepository } from '../db/repository.ts';
import { SESSION_LIFETIME_MS } from '../kioskService.ts';

export interface RetentionOptions {
  /** How long an undelivered document is kept after issue; default 1 hour, never less than a session's life (a retry must find it). */
  keepMs?: number;
  /** How often the job runs; default 5 minutes. */
  intervalMs?: number;
}

export const DEFAULT_KEEP_MS = 60 * 60_000;
export const DEFAULT_RETENTION_INTERVAL_MS = 5 * 60_000;
const BATCH = 200;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Empties one transaction's document now (delivery confirmed). False if unknown or already purged. */
export async function purgeDeliveredDocument(
  repository: CentreRepository,
  transactionId: string,
  now: number,
): Promise<boolean> {
  // A row written since migration 9 has its document's hash: one statement empties it.
  if (await repository.purgeIssuedDocument(transactionId, undefined, now)) return true;
  const stored = await repository.getIssuedDocument(transactionId);
  if (!stored || stored.purgedAt !== undefined) return false;
  return repository.purgeIssuedDocument(
    transactionId,
    stored.documentSha256 ?? sha256Hex(stored.documentJson),
    now,
  );
}

/** Empties every document issued more than `keepMs` before `now`; returns how many. */
export async function purgeExpiredDocuments(
  repository: CentreRepository,
  keepMs: number,
  now: number,
): Promise<number> {
  let purged = 0;
  for (;;) {
    const batch = await repository.listKeptIssuedDocuments(now - keepMs, BATCH);
    for (const row of batch)
      if (await repository.purgeIssuedDocument(row.transactionId, sha256Hex(row.documentJson), now)) purged++;
    if (batch.length < BATCH) return purged;
  }
}

/** Challenges stay a day after they expire (a replay is refused with its reason), then go. */
export const CHALLENGE_KEEP_MS = 24 * 60 * 60_000;

/** One pass of the purge job: expired documents, then day-old challenges. */
export async function purgePass(
  repository: CentreRepository,
  keepMs: number,
  now: number,
): Promise<{ documents: number; challenges: number }> {
  const documents = await purgeExpiredDocuments(repository, keepMs, now);
  return { documents, challenges: await repository.purgeChallenges(now - CHALLENGE_KEEP_MS) };
}

export interface RetentionJob {
  /** One pass now (the job's own passes run on its interval): how many documents it emptied. */
  runNow(): Promise<number>;
  stop(): void;
}

/** The centre's purge job (documents and challenges): a pass every `intervalMs` (timer unref'd: it never keeps a process alive). */
export function startRetentionJob(
  repository: CentreRepository,
  options: RetentionOptions,
  now: () => Date,
  log: { info(fields: object, message: string): void; error(fields: object, message: string): void },
): RetentionJob {
  const keepMs = Math.max(options.keepMs ?? DEFAULT_KEEP_MS, SESSION_LIFETIME_MS);
  let running: Promise<number> | undefined;
  const runNow = () => {
    running ??= purgePass(repository, keepMs, now().getTime())
      .then(({ documents, challenges }) => {
        if (documents > 0) log.info({ purged: documents }, 'issued documents purged (retention)');
        if (challenges > 0) log.info({ purged: challenges }, 'expired challenges deleted');
        return documents;
      })
      .finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => {
    runNow().catch((error: unknown) =>
      log.error({ err: error instanceof Error ? error.name : 'unknown' }, 'retention pass failed'),
    );
  }, options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS);
  timer.unref();
  return { runNow, stop: () => clearInterval(timer) };
}
