/**
 * `POST /v1/heartbeat` on the centre's kiosk API (mutual TLS only): the terminal is the one the
 * handshake proved; the heartbeat is kept when `takeHeartbeat` accepts it. Without TLS there is
 * no certificate to check the signature against, so nothing is kept.
 */
import type { FastifyInstance } from 'fastify';
import type { TLSSocket } from 'node:tls';
import { HEARTBEAT_PATH } from '../../protocol/heartbeat.ts';
import type { CentreErrorCode } from '../../protocol/index.ts';
import { terminalIdentityOf } from '../tls/terminalIdentity.ts';
import { takeHeartbeat, type HeartbeatRefusal } from './heartbeat-intake.ts';
import type { FleetStore } from './fleet-store.ts';

const ANSWER: Readonly<Record<HeartbeatRefusal, { status: number; code: CentreErrorCode }>> = {
  'bad-request': { status: 400, code: 'bad-request' },
  'terminal-mismatch': { status: 403, code: 'terminal-unknown' },
  'signature-invalid': { status: 400, code: 'signature-invalid' },
  stale: { status: 400, code: 'bad-request' },
  replayed: { status: 409, code: 'bad-request' },
};

export function registerHeartbeatRoute(app: FastifyInstance, store: FleetStore, now: () => number): void {
  app.post(HEARTBEAT_PATH, async (request, reply) => {
    const socket = request.raw.socket as Partial<TLSSocket>;
    const peer = socket.authorized === true ? socket.getPeerCertificate?.() : undefined;
    const identity = terminalIdentityOf(peer);
    if (!identity.ok || !peer?.raw) {
      request.log.info({ route: 'heartbeat', statusCode: 403, code: 'terminal-unknown' }, 'refused');
      return reply
        .code(403)
        .send({ error: { code: 'terminal-unknown', messageKey: 'error.terminal-unknown' } });
    }
    const { terminalId, storeCode } = identity.identity;
    const result = await takeHeartbeat(
      request.body,
      { terminalId, storeCode, certificateDer: peer.raw },
      store,
      now(),
    );
    if (result.ok) return result.value;
    const answer = ANSWER[result.refusal];
    request.log.info(
      {
        route: 'heartbeat',
        terminalId,
        statusCode: answer.status,
        code: answer.code,
        detail: result.refusal,
      },
      'refused',
    );
    return reply
      .code(answer.status)
      .send({ error: { code: answer.code, messageKey: `error.${answer.code}` } });
  });
}
