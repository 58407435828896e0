/**
 * The centre's reset API (protocol/pin-reset.ts) for the kiosk: through centre-client.ts's request
 * (mutual TLS with the terminal's certificate, time-out, bounded body, typed refusals, every answer
 * validated). The request body carries the new PIN (and the one-time password) inside TLS only;
 * nothing here logs it.
 */
import {
  PIN_RESET_AUTHENTICATE_PATH,
  PIN_RESET_COMMAND_PATH,
  PIN_RESET_CONFIRM_PATH,
  PIN_RESET_RELEASE_PATH,
  PIN_RESET_START_PATH,
  PinResetAuthenticateResponseSchema,
  PinResetCommandResponseSchema,
  PinResetConfirmResponseSchema,
  PinResetReleaseResponseSchema,
  PinResetStartResponseSchema,
  type PinResetAuthenticateRequest,
  type PinResetAuthenticateResponse,
  type PinResetCommandRequest,
  type PinResetCommandResponse,
  type PinResetConfirmRequest,
  type PinResetConfirmResponse,
  type PinResetReleaseRequest,
  type PinResetReleaseResponse,
  type PinResetStartRequest,
  type PinResetStartResponse,
} from '../../protocol/pin-reset.ts';
import { createCentreRequester, type CentreClientTls, type CentreResult } from './centre-client.ts';

export interface PinResetCentre {
  /** The 4-digit PIN's reset: the card proven by its signing key, in place of /v1/authenticate. */
  authenticate(request: PinResetAuthenticateRequest): Promise<CentreResult<PinResetAuthenticateResponse>>;
  /** The centre's mode for this reset (its setting: the kiosk has none). */
  start(request: PinResetStartRequest): Promise<CentreResult<PinResetStartResponse>>;
  command(request: PinResetCommandRequest): Promise<CentreResult<PinResetCommandResponse>>;
  confirm(request: PinResetConfirmRequest): Promise<CentreResult<PinResetConfirmResponse>>;
  /** Gives the grant's reservation back (a reset that ended without the card's answer). */
  release(request: PinResetReleaseRequest): Promise<CentreResult<PinResetReleaseResponse>>;
  close(): Promise<void>;
}

export function createPinResetCentre(options: {
  baseUrl: string;
  timeoutMs?: number;
  tls?: CentreClientTls;
}): PinResetCentre {
  const requester = createCentreRequester(options);
  return {
    authenticate: (request) =>
      requester.call(PIN_RESET_AUTHENTICATE_PATH, PinResetAuthenticateResponseSchema, request),
    start: (request) => requester.call(PIN_RESET_START_PATH, PinResetStartResponseSchema, request),
    command: (request) => requester.call(PIN_RESET_COMMAND_PATH, PinResetCommandResponseSchema, request),
    confirm: (request) => requester.call(PIN_RESET_CONFIRM_PATH, PinResetConfirmResponseSchema, request),
    release: (request) => requester.call(PIN_RESET_RELEASE_PATH, PinResetReleaseResponseSchema, request),
    close: () => requester.close(),
  };
}
