/**
 * The simulator's control port (HTTP on loopback): what a resident or a technician does to the
 * machine. POST /insert/<yen>, /jam, /box-full, /clear, /empty-change, /fill-change, /offline,
 * /online; GET /status. Every answer is JSON with the machine's status. GET / is the developer
 * panel (panel-page.ts) with a button for each.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CashMachine, InsertOutcome } from './cash-machine.ts';
import { panelPage } from './panel-page.ts';

export interface ControlServer {
  url: string;
  close(): Promise<void>;
}

const COMMANDS: Record<string, (machine: CashMachine) => void> = {
  jam: (m) => m.jam(),
  'box-full': (m) => m.fillBox(),
  clear: (m) => m.clearFaults(),
  'empty-change': (m) => m.emptyChange(),
  'fill-change': (m) => m.fillChange(),
  offline: (m) => {
    m.online = false;
  },
  online: (m) => {
    m.online = true;
  },
};

export async function startControlServer(machine: CashMachine, port: number): Promise<ControlServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] as string;
    const reply = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'GET' && path === '/status') return reply(200, { status: machine.status() });
    if (request.method === 'GET' && path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(panelPage());
      return;
    }
    if (request.method !== 'POST') return reply(405, { error: 'use POST for commands, GET /status' });
    const insert = /^\/insert\/([0-9]{1,5})$/.exec(path);
    if (insert) {
      // A note in escrow is answered once the host stacked it or it came back.
      void machine
        .insertAndSettle(Number(insert[1]))
        .then((outcome: InsertOutcome) => reply(200, { outcome, status: machine.status() }));
      return;
    }
    const command = COMMANDS[path.slice(1)];
    if (!command) return reply(404, { error: `unknown command ${path}` });
    command(machine);
    return reply(200, { status: machine.status() });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
