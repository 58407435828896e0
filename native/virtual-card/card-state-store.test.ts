import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CardStateStore, hashPin, pinMatchesHash } from './card-state-store.ts';

const factory = {
  auth: { triesLeft: 3 },
  signing: { triesLeft: 5 },
  assist: { triesLeft: 3 },
  collationA: { triesLeft: 10 },
  collationB: { triesLeft: 10 },
};

describe('CardStateStore', () => {
  it('returns the factory state for a new holder and persists what is saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const store = new CardStateStore(dir);
    expect(store.load('h1', factory)).toEqual(factory);
    store.save('h1', { ...factory, auth: { triesLeft: 0 }, assist: { triesLeft: 1 } });
    expect(new CardStateStore(dir).load('h1', factory)).toEqual({
      ...factory,
      auth: { triesLeft: 0 },
      assist: { triesLeft: 1 },
    });
    expect(readdirSync(dir)).toEqual(['h1.state.json']); // no temporary file left behind
    store.reset('h1');
    expect(store.load('h1', factory)).toEqual(factory);
  });

  it('fails closed (all PINs locked) on a corrupt state file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const store = new CardStateStore(dir);
    writeFileSync(store.pathFor('h2'), '{ "format": "virtual-card-state/1", "auth": ');
    const locked = { triesLeft: 0 };
    expect(store.load('h2', factory)).toEqual({
      auth: locked,
      signing: locked,
      assist: locked,
      collationA: locked,
      collationB: locked,
    });
  });

  it('reads a state file written before the other applications existed, keeping its counters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'state-'));
    const store = new CardStateStore(dir);
    writeFileSync(
      store.pathFor('h3'),
      JSON.stringify({ format: 'virtual-card-state/1', auth: { triesLeft: 1 }, signing: { triesLeft: 4 } }),
    );
    expect(store.load('h3', factory)).toEqual({
      ...factory,
      auth: { triesLeft: 1 },
      signing: { triesLeft: 4 },
    });
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
