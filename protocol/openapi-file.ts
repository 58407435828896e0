import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { openApiFileText } from './openapi.ts';

/** Where the generated document is committed. */
export const OPENAPI_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));

/** Dev-only: the text of protocol/openapi.json, formatted with the project's prettier settings. */
export async function formattedOpenApiFile(): Promise<string> {
  const config = (await resolveConfig(OPENAPI_FILE)) ?? {};
  return format(openApiFileText(), { ...config, filepath: OPENAPI_FILE });
}
