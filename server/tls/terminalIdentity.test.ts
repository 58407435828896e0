import { describe, expect, it } from 'vitest';
import { connectionTerminalIdentity } from './terminalIdentity.ts';

/** A connection whose peer certificate the test chooses, counting node's full decodes. */
function connection(authorized: boolean) {
  const state = {
    der: Buffer.from('certificate one'),
    subject: { C: 'JP', O: 'S0001', OU: 'kiosk terminal', CN: 'S0001-T01' } as Record<string, string>,
    serialNumber: '0A01',
    decodes: 0,
  };
  const socket = {
    authorized,
    getPeerX509Certificate: () => ({ raw: Buffer.from(state.der) }),
    getPeerCertificate: () => {
      state.decodes++;
      return { subject: { ...state.subject }, serialNumber: state.serialNumber, raw: Buffer.from(state.der) };
    },
  };
  return { state, socket: socket as unknown as Parameters<typeof connectionTerminalIdentity>[0] };
}

describe('the terminal on a mutual-TLS connection', () => {
  it('is read once per connection and certificate, and each request gets it with the DER', () => {
    const { state, socket } = connection(true);
    const first = connectionTerminalIdentity(socket);
    expect(first).toEqual({
      ok: true,
      identity: { storeCode: 'S0001', terminalId: 'S0001-T01', serialNumber: '0A01' },
      certificateDer: Buffer.from('certificate one'),
    });
    expect(connectionTerminalIdentity(socket)).toEqual(first);
    expect(state.decodes).toBe(1);
    // Another connection is read on its own.
    connectionTerminalIdentity(connection(true).socket);
    expect(state.decodes).toBe(1);
  });

  it('is read afresh when the connection presents another certificate (renegotiation)', () => {
    const { state, socket } = connection(true);
    expect(connectionTerminalIdentity(socket)).toMatchObject({ ok: true });
    state.der = Buffer.from('certificate two');
    state.subject = { C: 'JP', O: 'S0002', OU: 'kiosk terminal', CN: 'S0001-T01' };
    expect(connectionTerminalIdentity(socket)).toEqual({ ok: false, problem: 'store-mismatch' });
    expect(state.decodes).toBe(2);
    state.der = Buffer.from('certificate three');
    state.subject = { C: 'JP', O: 'S0002', OU: 'kiosk terminal', CN: 'S0002-T04' };
    expect(connectionTerminalIdentity(socket)).toMatchObject({
      ok: true,
      identity: { terminalId: 'S0002-T04' },
      certificateDer: Buffer.from('certificate three'),
    });
  });

  it('is nobody on a connection TLS did not authorise, or on plain HTTP', () => {
    const { state, socket } = connection(false);
    expect(connectionTerminalIdentity(socket)).toEqual({ ok: false, problem: 'no-certificate' });
    expect(connectionTerminalIdentity({})).toEqual({ ok: false, problem: 'no-certificate' });
    expect(state.decodes).toBe(0);
  });
});
