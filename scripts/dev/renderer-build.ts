import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/** The built renderer folder; builds it with Vite first when it is missing (or when asked to). */
export async function ensureRendererBuilt(
  root: string,
  options: { rebuild?: boolean } = {},
): Promise<string> {
  const dir = join(root, 'dist', 'renderer');
  if (options.rebuild || !existsSync(join(dir, 'index.html'))) {
    await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  }
  return dir;
}
