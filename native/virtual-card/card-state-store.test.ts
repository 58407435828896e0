import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardStateStore, hashPin, pinMatchesHash } from './card-state-store.ts';

const factory = { auth: { triesLeft: 3 }, signing: { triesLeft: 5 } };

describe('CardStateStore', () => {
  it('returns the factory state for a new holder and persists what is saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const store = new CardStateStore(dir);
    expect(store.load('h1', factory)).toEqual(factory);
    store.save('h1', { auth: { triesLeft: 0 }, signing: { triesLeft: 5 } });
    expect(new CardStateStore(dir).load('h1', factory)).toEqual({
      auth: { triesLeft: 0 },
      signing: { triesLeft: 5 },
    });
    expect(readdirSync(dir)).toEqual(['h1.state.json']); // no temporary file left behind
    store.reset('h1');
    expect(store.load('h1', factory)).toEqual(factory);
  });

  it('fails closed (all PINs locked) on a corrupt state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const store = new CardStateStore(dir);
    writeFileSync(store.pathFor('h2'), '{ "format": "virtual-card-state/1", "auth": ');
    expect(store.load('h2', factory)).toEqual({ auth: { triesLeft: 0 }, signing: { triesLeft: 0 } });
  });

  it('refuses holder ids that would escape the directory', () => {
    const store = new CardStateStore(tmpdir());
    expect(() => store.pathFor('../etc/passwd')).toThrow(RangeError);
    expect(() => store.pathFor('.hidden')).toThrow(RangeError);
  });

  it('stores a changed PIN as a salted hash that matches only that PIN', () => {
    const h = hashPin(Buffer.from('4321'));
    expect(JSON.stringify(h)).not.toContain('4321');
    expect(pinMatchesHash(Buffer.from('4321'), h)).toBe(true);
    expect(pinMatchesHash(Buffer.from('4322'), h)).toBe(false);
    expect(hashPin(Buffer.from('4321')).hash).not.toBe(h.hash);
  });
});
