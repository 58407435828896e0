import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  API_PREFIX,
  HouseholdMembersRequestSchema,
  KosekiRegistrationRequestSchema,
} from '../../protocol/api.ts';
import type { CentreResult } from '../errors.ts';
import type { KioskService } from '../kioskService.ts';

/** app.ts's helper: zod-validated body → service call → answer or CentreErrorBody. */
export type ValidatedHandler = <S extends z.ZodType, T>(
  schema: S,
  route: string,
  handle: (body: z.infer<S>) => Promise<CentreResult<T>>,
) => (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * The session-bound calls besides issue (protocol/api.ts): POST /v1/koseki-registration, the
 * 利用登録 for 戸籍 filed from the kiosk, and POST /v1/household-members, the household's names once
 * the resident chooses scope `members`. Behind mutual TLS like every kiosk route.
 */
export function registerRegistrationRoutes(
  app: FastifyInstance,
  service: KioskService,
  validated: ValidatedHandler,
): void {
  app.post(
    `${API_PREFIX}/koseki-registration`,
    validated(KosekiRegistrationRequestSchema, 'koseki-registration', (b) => service.kosekiRegistration(b)),
  );
  app.post(
    `${API_PREFIX}/household-members`,
    validated(HouseholdMembersRequestSchema, 'household-members', (b) => service.householdMembers(b)),
  );
}
