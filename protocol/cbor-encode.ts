import { Tag } from 'cbor2';
import { defaultEncodeOptions, writeLength, writeTag, writeUnknown } from 'cbor2/encoder';
import { Writer } from 'cbor2/writer';

/**
 * CBOR of a seal's values — maps, arrays, tags, integers, strings, byte strings — with cbor2's
 * default options, byte for byte what `encode` from cbor2 writes (maps in insertion order, each
 * head in its shortest form), through one writer. cbor2's `encode` builds a writer, and copies
 * its ~30 options, for every call and again for every key of every map (to be able to sort
 * them); a seal's payload, header and Sig_structure made ~17 of them each, about a third of a
 * millisecond of the centre's CPU per sealed page. Not re-entrant (synchronous, single writer).
 */
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;

const writer = new Writer({ chunkSize: 1024 });

function writeValue(value: unknown): void {
  if (value instanceof Map) {
    writeLength(value, value.size, MAJOR_MAP, writer, defaultEncodeOptions);
    for (const [key, entry] of value) {
      writeValue(key);
      writeValue(entry);
    }
  } else if (Array.isArray(value)) {
    writeLength(value, value.length, MAJOR_ARRAY, writer, defaultEncodeOptions);
    for (const entry of value) writeValue(entry);
  } else if (value instanceof Tag) {
    writeTag(value.tag, writer, defaultEncodeOptions);
    writeValue(value.contents);
  } else {
    writeUnknown(value, writer, defaultEncodeOptions);
  }
}

export function encodeCbor(value: unknown): Uint8Array {
  writer.clear();
  try {
    writeValue(value);
    return writer.read();
  } finally {
    writer.clear();
  }
}
