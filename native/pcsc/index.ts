export { PcscCardReader } from './pcsc-card-reader.ts';
export type { PcscReaderOptions } from './pcsc-card-reader.ts';
