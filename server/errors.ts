import type { CentreErrorCode } from '../protocol/errors.ts';

/** A refusal the centre answers with; `kind` is the protocol's CentreErrorCode. */
export interface CentreFailure {
  kind: CentreErrorCode;
  /** For logs and tests only: never personal data, never sent to the kiosk. */
  detail?: string;
}

export type CentreResult<T> = { ok: true; value: T } | { ok: false; error: CentreFailure };

export function fail(kind: CentreErrorCode, detail?: string): { ok: false; error: CentreFailure } {
  return { ok: false, error: detail === undefined ? { kind } : { kind, detail } };
}

export function succeed<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}
