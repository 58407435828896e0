/**
 * Per-command delays for the virtual card, so benchmarks and load tests see a card's pace rather
 * than a function call's. The preset is a rough model of a contact reader (our estimate, not a
 * measurement of a real My Number Card); tests pass their own.
 */

export interface CommandTiming {
  cla: number;
  ins: number;
  /** Bytes in the answer, status word included. */
  responseBytes: number;
}

/** Milliseconds the card "takes" for one command. */
export type LatencyModel = (command: CommandTiming) => number;

export function fixedLatency(ms: number): LatencyModel {
  return () => ms;
}

/** Contact reader, ~T=1 at 9600 bit/s·F/D: a per-command base by instruction + transfer time. */
export const CONTACT_CARD_LATENCY: LatencyModel = ({ ins, responseBytes }) => {
  const base: Record<number, number> = {
    0xa4: 8, // SELECT
    0xb0: 6, // READ BINARY
    0x20: 35, // VERIFY (PIN comparison, counter write)
    0x24: 60, // CHANGE REFERENCE DATA (EEPROM write)
    0x2a: 450, // COMPUTE DIGITAL SIGNATURE (RSA-2048 on the card)
    0x84: 5, // GET CHALLENGE
    0x2c: 80, // RESET RETRY COUNTER (MAC check + write)
  };
  return (base[ins] ?? 5) + responseBytes * 0.09;
};

export function commandTiming(apdu: Uint8Array, response: Uint8Array): CommandTiming {
  return { cla: apdu[0] ?? 0, ins: apdu[1] ?? 0, responseBytes: response.length };
}
