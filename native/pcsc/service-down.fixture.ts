/**
 * Child-process fixture for pcsc-card-reader.test.ts: runs a PcscCardReader against a
 * PC/SC socket that does not exist (PCSCLITE_CSOCK_NAME set by the parent) and prints the
 * statuses it saw as JSON. Exits 0 only if nothing threw and no error went unhandled.
 */
import { PcscCardReader } from './pcsc-card-reader.ts';
import type { ReaderStatus } from '../card-transport.ts';

const seen: ReaderStatus[] = [];
const reader = new PcscCardReader({ serviceRetryMs: 100 });
seen.push(reader.status());
reader.onStatus((s) => seen.push(s));
const connect = await reader.connect({ timeoutMs: 400 });
const final = reader.status();
await reader.close();
process.stdout.write(JSON.stringify({ seen, final, connect }) + '\n');
