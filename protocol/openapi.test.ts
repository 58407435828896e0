import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from './api.ts';
import { CERTIFICATE_TYPES } from './certificate-types.ts';
import { buildOpenApiDocument } from './openapi.ts';
import { formattedOpenApiFile } from './openapi-file.ts';

describe('OpenAPI 3.1 document', () => {
  it('committed protocol/openapi.json is what the schemas generate (run `npx tsx protocol/generate-openapi.ts`)', async () => {
    const committed = readFileSync(new URL('./openapi.json', import.meta.url), 'utf8');
    expect(committed).toBe(await formattedOpenApiFile());
  });

  it('carries the contract version, every route, and every certificate content kind', () => {
    const doc = buildOpenApiDocument() as {
      openapi: string;
      info: { version: string };
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe(PROTOCOL_VERSION);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/authenticate',
      '/v1/challenge',
      '/v1/heartbeat',
      '/v1/household-members',
      '/v1/issue',
      '/v1/koseki-registration',
      '/v1/municipality-keys',
      '/v1/pin-reset/authenticate',
      '/v1/pin-reset/command',
      '/v1/pin-reset/confirm',
      '/v1/pin-reset/release',
      '/v1/pin-reset/start',
      '/v1/transactions/{transactionId}/delivery',
    ]);
    const documentSchema = JSON.stringify(doc.components.schemas.CertificateDocument);
    for (const type of CERTIFICATE_TYPES) expect(documentSchema).toContain(`"const":"${type}"`);
    const issueRequest = JSON.stringify(doc.components.schemas.IssueRequest);
    for (const option of ['scope', 'includeHonseki', 'includeRelationship', 'includeMyNumber', 'taxYear']) {
      expect(issueRequest).toContain(`"${option}"`);
    }
  });
});
