import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { testCard } from '../test-pki/fixtures.ts';
import {
  loadPersonalisation,
  personalisationFromJson,
  personalisationToJson,
  savePersonalisation,
} from './personalisation.ts';
import type { CardPersonalisation } from './personalisation.ts';

let perso: CardPersonalisation;
beforeAll(async () => {
  perso = await testCard({ holderId: 'perso-unit', authPin: '4826', signingPin: 'SIGN4826' });
});

describe('CardPersonalisation files', () => {
  it('saves and loads the same card (binaries as base64), owner-readable only', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'perso-')), 'cards', 'card.json');
    await savePersonalisation(path, perso);
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(readFileSync(path, 'utf8')).toContain('"format": "virtual-my-number-card/1"');
    expect(await loadPersonalisation(path)).toEqual(perso);
  });

  it('names the bad field without echoing its value', () => {
    const bad = JSON.parse(personalisationToJson(perso)) as Record<string, unknown>;
    bad.authPin = '48265';
    const result = personalisationFromJson(JSON.stringify(bad), 'x.json');
    expect(result).toMatchObject({ kind: 'personalisation-invalid', path: 'x.json' });
    expect(JSON.stringify(result)).toContain('authPin');
    expect(JSON.stringify(result)).not.toContain('48265');
  });

  it('reports a missing file as unreadable', async () => {
    expect(await loadPersonalisation('/nonexistent/card.json')).toEqual({
      kind: 'personalisation-unreadable',
      path: '/nonexistent/card.json',
      detail: 'ENOENT',
    });
  });
});
