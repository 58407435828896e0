import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeveloperRoutes, DEVELOPER_HEADER, type DeveloperControls } from './developer-controls.ts';

const SECRET = 'Zm9yLXRoZS10ZXN0cy1vbmx5LW5vdC1hLXJlYWwta2V5';
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

async function start(controls: DeveloperControls): Promise<string> {
  const routes = createDeveloperRoutes(controls, SECRET);
  server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    void routes(request, response, path).then((handled) => {
      if (!handled) response.writeHead(404).end('not a developer route');
    });
  });
  await new Promise<void>((done) => server?.listen(0, '127.0.0.1', () => done()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

function fakeCard() {
  const moves: string[] = [];
  return {
    moves,
    card: {
      holderId: 'H0001',
      insert: async () => void moves.push('insert'),
      remove: async () => void moves.push('remove'),
    },
  };
}

const developer = { [DEVELOPER_HEADER]: SECRET };

describe('kiosk:web developer routes', () => {
  it('takes the card off the reader and puts it back', async () => {
    const { card, moves } = fakeCard();
    const url = await start({ card });
    expect(await (await fetch(`${url}/dev/card`, { headers: developer })).json()).toEqual({
      holderId: 'H0001',
      onReader: true,
    });
    const removed = await fetch(`${url}/dev/card/remove`, { method: 'POST', headers: developer });
    expect(await removed.json()).toEqual({ holderId: 'H0001', onReader: false });
    const placed = await fetch(`${url}/dev/card/place`, { method: 'POST', headers: developer });
    expect(await placed.json()).toEqual({ holderId: 'H0001', onReader: true });
    expect(moves).toEqual(['remove', 'insert']);
  });

  it('refuses requests without the start secret or from another origin', async () => {
    const { card, moves } = fakeCard();
    const url = await start({ card });
    expect((await fetch(`${url}/dev/card/remove`, { method: 'POST' })).status).toBe(403);
    for (const wrong of ['1', `${SECRET.slice(0, -1)}x`, ''])
      expect(
        (await fetch(`${url}/dev/card/remove`, { method: 'POST', headers: { [DEVELOPER_HEADER]: wrong } }))
          .status,
      ).toBe(403);
    const foreign = await fetch(`${url}/dev/card/remove`, {
      method: 'POST',
      headers: { ...developer, origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect((await fetch(`${url}/dev/card/remove`, { headers: developer })).status).toBe(405);
    expect((await fetch(`${url}/dev/card/shake`, { method: 'POST', headers: developer })).status).toBe(405);
    expect(moves).toEqual([]);
  });

  it('says when there is no card, and leaves other paths alone', async () => {
    const url = await start({});
    expect((await fetch(`${url}/dev/card`, { headers: developer })).status).toBe(404);
    expect(await (await fetch(`${url}/index.html`)).text()).toBe('not a developer route');
  });
});
