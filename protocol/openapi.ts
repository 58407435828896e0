import { z } from 'zod';
import {
  API_PREFIX,
  AuthenticateRequestSchema,
  AuthenticateResponseSchema,
  ChallengeRequestSchema,
  ChallengeResponseSchema,
  IssueRequestSchema,
  IssueResponseSchema,
  DeliveryRequestSchema,
  DeliveryResponseSchema,
  HouseholdMembersRequestSchema,
  HouseholdMembersResponseSchema,
  KosekiRegistrationRequestSchema,
  KosekiRegistrationResponseSchema,
  MunicipalityKeysResponseSchema,
  PROTOCOL_VERSION,
} from './api.ts';
import { CertificateDocumentSchema } from './documents.ts';
import { CentreErrorBodySchema } from './errors.ts';
import { HEARTBEAT_PATH, HeartbeatRequestSchema, HeartbeatResponseSchema } from './heartbeat.ts';
import {
  PIN_RESET_AUTHENTICATE_PATH,
  PIN_RESET_COMMAND_PATH,
  PIN_RESET_CONFIRM_PATH,
  PIN_RESET_RELEASE_PATH,
  PIN_RESET_START_PATH,
  PinResetAuthenticateRequestSchema,
  PinResetAuthenticateResponseSchema,
  PinResetCommandRequestSchema,
  PinResetCommandResponseSchema,
  PinResetConfirmRequestSchema,
  PinResetConfirmResponseSchema,
  PinResetReleaseRequestSchema,
  PinResetReleaseResponseSchema,
  PinResetStartRequestSchema,
  PinResetStartResponseSchema,
} from './pin-reset.ts';

/** The component schemas of the contract, by name. */
const COMPONENTS = {
  ChallengeRequest: ChallengeRequestSchema,
  ChallengeResponse: ChallengeResponseSchema,
  AuthenticateRequest: AuthenticateRequestSchema,
  AuthenticateResponse: AuthenticateResponseSchema,
  IssueRequest: IssueRequestSchema,
  IssueResponse: IssueResponseSchema,
  CertificateDocument: CertificateDocumentSchema,
  DeliveryRequest: DeliveryRequestSchema,
  DeliveryResponse: DeliveryResponseSchema,
  HouseholdMembersRequest: HouseholdMembersRequestSchema,
  HouseholdMembersResponse: HouseholdMembersResponseSchema,
  KosekiRegistrationRequest: KosekiRegistrationRequestSchema,
  KosekiRegistrationResponse: KosekiRegistrationResponseSchema,
  MunicipalityKeysResponse: MunicipalityKeysResponseSchema,
  HeartbeatRequest: HeartbeatRequestSchema,
  HeartbeatResponse: HeartbeatResponseSchema,
  PinResetAuthenticateRequest: PinResetAuthenticateRequestSchema,
  PinResetAuthenticateResponse: PinResetAuthenticateResponseSchema,
  PinResetStartRequest: PinResetStartRequestSchema,
  PinResetStartResponse: PinResetStartResponseSchema,
  PinResetCommandRequest: PinResetCommandRequestSchema,
  PinResetCommandResponse: PinResetCommandResponseSchema,
  PinResetConfirmRequest: PinResetConfirmRequestSchema,
  PinResetConfirmResponse: PinResetConfirmResponseSchema,
  PinResetReleaseRequest: PinResetReleaseRequestSchema,
  PinResetReleaseResponse: PinResetReleaseResponseSchema,
  CentreErrorBody: CentreErrorBodySchema,
} as const;
type ComponentName = keyof typeof COMPONENTS;

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName) => ({ 'application/json': { schema: ref(name) } });

function refusal(description: string) {
  return { description, content: json('CentreErrorBody') };
}

function post(
  summary: string,
  request: ComponentName,
  response: ComponentName,
  refusals: Record<string, string>,
) {
  return {
    post: {
      summary,
      requestBody: { required: true, content: json(request) },
      responses: {
        '200': { description: 'OK', content: json(response) },
        ...Object.fromEntries(Object.entries(refusals).map(([status, text]) => [status, refusal(text)])),
      },
    },
  };
}

/**
 * The kiosk↔centre contract as an OpenAPI 3.1 document, generated from the zod schemas
 * (JSON Schema 2020-12, which OpenAPI 3.1 uses). Deterministic: same schemas, same output.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, Record<string, unknown>> };
  const schemas = Object.fromEntries(
    Object.entries(generated.schemas).map(([id, schema]) => {
      const { $schema: _dialect, id: _id, ...rest } = schema;
      return [id, rest];
    }),
  );
  const refused = {
    '400': 'bad-request: the body does not match the schema, or an option is not allowed',
    '401': 'authentication failed or no authenticated session',
    '403': 'refused by a municipal rule (not offered, outside hours, DV block, …)',
    '500': 'internal',
  };
  const resetRefused = {
    '400': 'bad-request: the body does not match the schema (a challenge not of 8 bytes)',
    '401': 'not-authenticated: no live session of this transaction on this terminal',
    '403': 'terminal-unknown: no terminal certificate, or the body names another terminal',
    '500': refused['500'],
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'コンビニ交付 kiosk ↔ 証明書交付センター',
      version: PROTOCOL_VERSION,
      description:
        'Generated from protocol/*.ts by `npx tsx protocol/generate-openapi.ts`. Every refusal is a ' +
        'CentreErrorBody whose code maps to a resident-facing message key `error.<code>`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      [`${API_PREFIX}/challenge`]: post(
        'A single-use challenge bound to terminal and transaction',
        'ChallengeRequest',
        'ChallengeResponse',
        { '400': refused['400'], '500': refused['500'] },
      ),
      [`${API_PREFIX}/authenticate`]: post(
        'Verify the card signature; answer the menu',
        'AuthenticateRequest',
        'AuthenticateResponse',
        refused,
      ),
      [`${API_PREFIX}/issue`]: post(
        'Issue a certificate (idempotent on transactionId)',
        'IssueRequest',
        'IssueResponse',
        {
          ...refused,
          '409': 'fee-changed: the quoted fee is no longer the municipality fee; nothing issued',
          '422': 'document-unprintable: the document would not print on the form; nothing issued or billed',
        },
      ),
      [`${API_PREFIX}/transactions/{transactionId}/delivery`]: {
        ...post(
          'Report what the resident got, signed by the terminal key: billed on delivered, nothing billed on voided (idempotent)',
          'DeliveryRequest',
          'DeliveryResponse',
          {
            '400': refused['400'],
            '401':
              'signature-invalid: over mutual TLS, missing or not signed by the key of the certificate the connection proved; nothing billed',
            '404': 'not-issued: nothing was issued for this transaction',
            '409': 'delivery-conflict: a different report was recorded first',
            '500': refused['500'],
          },
        ),
        parameters: [
          { name: 'transactionId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
        ],
      },
      [`${API_PREFIX}/household-members`]: post(
        'The household names to choose from, once the resident chooses scope members (live session only)',
        'HouseholdMembersRequest',
        'HouseholdMembersResponse',
        refused,
      ),
      [`${API_PREFIX}/koseki-registration`]: post(
        'File the 利用登録 with the 本籍地',
        'KosekiRegistrationRequest',
        'KosekiRegistrationResponse',
        refused,
      ),
      [HEARTBEAT_PATH]: post(
        "The kiosk's signed health (mutual TLS only): the centre keeps the newest per terminal for the fleet view",
        'HeartbeatRequest',
        'HeartbeatResponse',
        {
          '400':
            "bad-request (body, or sent too far from the centre's clock) or signature-invalid: not signed by the key of the certificate the connection proved",
          '403': 'terminal-unknown: no terminal certificate, or the body names another terminal',
          '409': 'bad-request: not newer than the heartbeat kept (replayed or reordered)',
        },
      ),
      // The PIN reset at the kiosk (issue 11): served only by a centre configured for it.
      [PIN_RESET_AUTHENTICATE_PATH]: post(
        "The 4-digit PIN's reset only, in place of /authenticate: the centre's challenge signed with the card's 署名用 key; ties the transaction to the card's grant for the 4-digit PIN. Refusals of the reset (no-grant, used, expired, the signing certificate, the holder's facts) are 200 answers",
        'PinResetAuthenticateRequest',
        'PinResetAuthenticateResponse',
        {
          '400': 'bad-request or certificate-malformed',
          '401':
            'the authentication checks of /authenticate failed (challenge, certificate, signature), or no 署名用 CA configured',
          '403': 'terminal-unknown, or the resident unknown, moved out or deceased',
          '500': refused['500'],
        },
      ),
      [PIN_RESET_START_PATH]: post(
        "The centre's mode for this authenticated transaction's reset: password (typed one-time password) or bound-card",
        'PinResetStartRequest',
        'PinResetStartResponse',
        resetRefused,
      ),
      [PIN_RESET_COMMAND_PATH]: post(
        "Reserve the card's grant for this transaction and answer the secure-messaging command that sets the new PIN; refusals of the reset (wrong-password, locked, expired, used, in-use, no-grant, pin-rules) are 200 answers",
        'PinResetCommandRequest',
        'PinResetCommandResponse',
        resetRefused,
      ),
      [PIN_RESET_CONFIRM_PATH]: post(
        "Read the card's sealed answer: reset-done spends the grant, card-refused / not-authorised release it",
        'PinResetConfirmRequest',
        'PinResetConfirmResponse',
        resetRefused,
      ),
      [PIN_RESET_RELEASE_PATH]: post(
        "Give the grant's reservation back when the card's answer never reached the centre",
        'PinResetReleaseRequest',
        'PinResetReleaseResponse',
        resetRefused,
      ),
      [`${API_PREFIX}/municipality-keys`]: {
        get: {
          summary: 'The seal keys of every municipality, in a list signed by a root key',
          responses: { '200': { description: 'OK', content: json('MunicipalityKeysResponse') } },
        },
      },
    },
    components: { schemas },
  };
}

/** The file text written to protocol/openapi.json. */
export function openApiFileText(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
