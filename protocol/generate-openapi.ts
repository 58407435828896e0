import { writeFileSync } from 'node:fs';
import { formattedOpenApiFile, OPENAPI_FILE } from './openapi-file.ts';

/** `npx tsx protocol/generate-openapi.ts` writes protocol/openapi.json from the zod schemas. */
writeFileSync(OPENAPI_FILE, await formattedOpenApiFile());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
