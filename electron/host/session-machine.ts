/**
 * The kiosk's session machines, one per flow, over shared parts:
 * - session-machine-types.ts: services, context, events, transaction events, time-outs;
 * - session-machine-parts.ts: the one setup, the card steps and the one clean-up;
 * - session-machine-issuance.ts: the certificate flow.
 */
export * from './session-machine-types.ts';
export { sessionSetup, type SessionInput } from './session-machine-parts.ts';
export {
  issuanceMachine,
  issuanceMachine as sessionMachine,
  registrationNeeded,
} from './session-machine-issuance.ts';
