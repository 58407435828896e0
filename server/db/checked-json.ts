import type { z } from 'zod';

/** Texts remembered per schema; a row's text is about 0.2–1 kB, so at most a few MB in all. */
const MAX_TEXTS = 2048;

/**
 * A reader of rows stored as JSON text, for a schema whose answer is plain JSON data (no
 * transforms, no defaults), each checked against its schema on every read, as
 * before. The check is a pure function of the text, and the same row is read again and again (a
 * kiosk transaction reads its resident's household, 印鑑登録 and other records in each of its
 * requests), so a text that passed once is remembered, and the next read of the very same text
 * only parses it: the answer is equal to what the schema gives (a new object each read, as
 * before). A text is remembered only when the schema's answer is exactly the text's value —
 * nothing stripped or reordered — which the text written from that answer shows; any other text
 * (an unknown key, another key order, a changed row) goes through the schema on every read.
 */
export function checkedJsonReader<S extends z.ZodType>(schema: S): (json: string) => z.output<S> {
  const passed = new Set<string>();
  return (json) => {
    if (passed.has(json)) return JSON.parse(json) as z.output<S>;
    const record = schema.parse(JSON.parse(json));
    if (JSON.stringify(record) === json) {
      if (passed.size >= MAX_TEXTS) passed.delete(passed.values().next().value as string);
      passed.add(json);
    }
    return record;
  };
}
