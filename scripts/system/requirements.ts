/**
 * The system parts (Debian packages) the project needs, read from debian-packages.txt — the
 * same list scripts/install-system-deps.sh reads — and a check of which are missing.
 */
import { access, readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type Requirement = {
  /** Absolute path (or glob) whose presence shows the part is installed. */
  path: string;
  /** The Debian package that provides it. */
  debianPackage: string;
  /** What in the project needs it. */
  neededFor: string;
};

export type RequirementsError =
  | { kind: 'list-unreadable'; file: string; detail: string }
  | { kind: 'list-invalid'; file: string; line: number; text: string };

export const DEBIAN_PACKAGES_FILE = fileURLToPath(new URL('./debian-packages.txt', import.meta.url));

/** Parses the list format: `<path> <package> <what needs it…>`; '#' starts a comment line. */
export function parseRequirements(
  text: string,
  file = DEBIAN_PACKAGES_FILE,
): { ok: true; requirements: Requirement[] } | { ok: false; error: RequirementsError } {
  const requirements: Requirement[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+)\s+(\S+)\s+(.+)$/.exec(line);
    if (!match || !match[1]!.startsWith('/') || !/^[a-z0-9][a-z0-9+.-]+$/.test(match[2]!)) {
      return { ok: false, error: { kind: 'list-invalid', file, line: index + 1, text: line } };
    }
    requirements.push({ path: match[1]!, debianPackage: match[2]!, neededFor: match[3]!.trim() });
  }
  return { ok: true, requirements };
}

export async function readRequirements(
  file = DEBIAN_PACKAGES_FILE,
): Promise<{ ok: true; requirements: Requirement[] } | { ok: false; error: RequirementsError }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, error: { kind: 'list-unreadable', file, detail: String(err) } };
  }
  return parseRequirements(text, file);
}

/**
 * True when the path exists; a '*' in a path segment matches any name in that folder (enough
 * for the versioned folder of the PostgreSQL server; Node 20 has no fs.glob).
 */
export async function isPresent(path: string): Promise<boolean> {
  const segments = path.split('/').filter((s) => s !== '');
  return existsUnder('/', segments);
}

async function existsUnder(dir: string, segments: readonly string[]): Promise<boolean> {
  const [head, ...rest] = segments;
  if (head === undefined) {
    return access(dir).then(
      () => true,
      () => false,
    );
  }
  if (!head.includes('*')) return existsUnder(`${dir === '/' ? '' : dir}/${head}`, rest);
  const pattern = new RegExp(`^${head.split('*').map(escapeRegExp).join('.*')}$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return false;
  }
  for (const name of names.filter((n) => pattern.test(n)).sort()) {
    if (await existsUnder(`${dir === '/' ? '' : dir}/${name}`, rest)) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The requirements whose path is not on this machine. */
export async function findMissing(
  requirements?: readonly Requirement[],
): Promise<{ ok: true; missing: Requirement[] } | { ok: false; error: RequirementsError }> {
  let list = requirements;
  if (!list) {
    const read = await readRequirements();
    if (!read.ok) return read;
    list = read.requirements;
  }
  const present = await Promise.all(list.map((r) => isPresent(r.path)));
  return { ok: true, missing: list.filter((_, i) => !present[i]) };
}

/** The Debian packages to install for the given missing parts, each once, in list order. */
export function packagesFor(missing: readonly Requirement[]): string[] {
  return [...new Set(missing.map((r) => r.debianPackage))];
}

/** The single command that installs them, for a message to a person who is not root. */
export function installCommand(missing: readonly Requirement[]): string {
  return `sudo apt-get install -y --no-install-recommends ${packagesFor(missing).join(' ')}`;
}

/** The Debian package that provides a path in the list (for error messages elsewhere). */
export async function packageProviding(path: string): Promise<string | undefined> {
  const read = await readRequirements();
  return read.ok ? read.requirements.find((r) => r.path === path)?.debianPackage : undefined;
}
