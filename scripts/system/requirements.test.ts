import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findMissing,
  installCommand,
  isPresent,
  packagesFor,
  parseRequirements,
  readRequirements,
} from './requirements.ts';
import type { Requirement } from './requirements.ts';
import { SYSTEM_PATHS } from './services.ts';

const SCRIPT = fileURLToPath(new URL('../install-system-deps.sh', import.meta.url));

function runScript(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('bash', [SCRIPT, ...args], (err, stdout, stderr) => {
      done({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('the package list', () => {
  it('names every part the brief requires, with its Debian package', async () => {
    const read = await readRequirements();
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const byPackage = new Map<string, string[]>();
    for (const r of read.requirements)
      byPackage.set(r.debianPackage, [...(byPackage.get(r.debianPackage) ?? []), r.path]);
    expect([...byPackage.keys()].sort()).toEqual(
      [
        'avahi-daemon',
        'cage',
        'chromium',
        'cups-ipp-utils',
        'dbus',
        'espeak-ng',
        'fonts-dejavu-core',
        'fonts-ipaexfont-gothic',
        'fonts-ipaexfont-mincho',
        'fonts-ipamj-mincho',
        'fonts-nanum',
        'fonts-wqy-microhei',
        'g++',
        'haproxy',
        'imagemagick',
        'libpcsclite-dev',
        'make',
        'python3',
        'opensc',
        'pcscd',
        'poppler-utils',
        'postgresql',
        'qpdf',
        'socat',
        'softhsm2',
        'vsmartcard-vpcd',
      ].sort(),
    );
    expect(byPackage.get('poppler-utils')).toEqual([
      '/usr/bin/pdftotext',
      '/usr/bin/pdfinfo',
      '/usr/bin/pdftoppm',
    ]);
    expect(byPackage.get('vsmartcard-vpcd')).toEqual(['/usr/lib/pcsc/drivers/serial/libifdvpcd.so']);
  });

  it('agrees with the paths services.ts starts', async () => {
    const read = await readRequirements();
    if (!read.ok) throw new Error('list unreadable');
    for (const part of Object.values(SYSTEM_PATHS)) {
      expect(read.requirements).toContainEqual(
        expect.objectContaining({ path: part.path, debianPackage: part.debianPackage }),
      );
    }
  });

  it('rejects a malformed line with its number', () => {
    const parsed = parseRequirements('# comment\n/usr/bin/x pkg why\nrelative/path pkg why\n', '/list');
    expect(parsed).toEqual({
      ok: false,
      error: { kind: 'list-invalid', file: '/list', line: 3, text: 'relative/path pkg why' },
    });
    expect(parseRequirements('/usr/bin/x Bad_Package why').ok).toBe(false);
    expect(parseRequirements('/usr/bin/x pkg').ok).toBe(false);
  });
});

describe('findMissing', () => {
  const list: Requirement[] = [
    { path: '/bin/sh', debianPackage: 'dash', neededFor: 'a shell' },
    { path: '/nonexistent/kiosk/tool', debianPackage: 'kiosk-tool', neededFor: 'x' },
    { path: '/nonexistent/*/other', debianPackage: 'kiosk-tool', neededFor: 'y' },
    { path: '/nonexistent/third', debianPackage: 'kiosk-extra', neededFor: 'z' },
  ];

  it('returns exactly the parts whose path is absent', async () => {
    const result = await findMissing(list);
    expect(result.ok && result.missing.map((r) => r.path)).toEqual([
      '/nonexistent/kiosk/tool',
      '/nonexistent/*/other',
      '/nonexistent/third',
    ]);
    if (!result.ok) return;
    expect(packagesFor(result.missing)).toEqual(['kiosk-tool', 'kiosk-extra']);
    expect(installCommand(result.missing)).toBe(
      'sudo apt-get install -y --no-install-recommends kiosk-tool kiosk-extra',
    );
  });

  it('matches a * segment against the folder contents', async () => {
    expect(await isPresent('/usr/*/env')).toBe(true);
    expect(await isPresent('/u*r/b*n/env')).toBe(true);
    expect(await isPresent('/usr/*/no-such-binary-here')).toBe(false);
  });
});

describe('install-system-deps.sh', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'install-deps-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is quiet and succeeds when everything on its list is present', async () => {
    const file = join(dir, 'present.txt');
    await writeFile(file, '# all here\n/bin/sh dash a shell\n/usr/*/env coreutils env\n');
    expect(await runScript(['--check', '--list', file])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('names what is missing and prints the one install line, and fails', async () => {
    const file = join(dir, 'missing.txt');
    await writeFile(
      file,
      '/bin/sh dash a shell\n/nonexistent/a kiosk-tool first use\n/nonexistent/*/b kiosk-tool second use\n/nonexistent/c kiosk-extra third use\n',
    );
    const result = await runScript(['--check', '--list', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/nonexistent/a');
    expect(result.stdout).toContain('/nonexistent/c');
    expect(result.stdout).not.toContain('/bin/sh');
    expect(result.stdout).toContain('sudo apt-get install -y --no-install-recommends kiosk-tool kiosk-extra');
  });

  it('finds the same missing parts as findMissing for the same list', async () => {
    const file = join(dir, 'same.txt');
    await writeFile(
      file,
      '/bin/sh dash shell\n/nonexistent/x pkg-x x\n/usr/*/env coreutils env\n/nonexistent/y pkg-y y\n',
    );
    const read = await readRequirements(file);
    if (!read.ok) throw new Error('list unreadable');
    const missing = await findMissing(read.requirements);
    const script = await runScript(['--check', '--list', file]);
    expect(missing.ok && installCommand(missing.missing)).toBe(
      script.stdout
        .split('\n')
        .find((l) => l.includes('sudo apt-get'))
        ?.trim(),
    );
  });
});
