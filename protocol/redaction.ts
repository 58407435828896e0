/**
 * What neither the kiosk nor the centre ever writes to a log: a field whose name says it carries
 * personal data or card material is replaced at any depth (objects, arrays, errors' own fields),
 * and an error keeps only its type and code — its message and stack may quote what it failed on.
 */

/** Field names (case-insensitive) censored wherever they appear. */
export const PERSONAL_FIELD_NAMES: readonly string[] = [
  'pin',
  'authPin',
  'signingPin',
  'myNumber',
  'name',
  'nameKana',
  'names',
  'members',
  'householdMembers',
  'address',
  'birthDate',
  'honseki',
  'document',
  'documentJson',
  'seal',
  'certificate',
  'signature',
  'challenge',
  'authorization',
  'body',
];

export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

/** A copy of `value` safe to log (cycles and depth beyond 8 are cut). */
export function redactDeep(value: unknown, names: readonly string[] = PERSONAL_FIELD_NAMES): unknown {
  const censored = new Set(names.map((n) => n.toLowerCase()));
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[cycle]';
    if (depth >= MAX_DEPTH) return '[depth]';
    seen.add(v);
    if (v instanceof Error) {
      const code = (v as { code?: unknown }).code;
      return { type: v.name, ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}) };
    }
    if (v instanceof Uint8Array) return `[${v.length} bytes]`;
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1));
    if (v instanceof Date) return v;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(v)) {
      out[key] = censored.has(key.toLowerCase()) ? REDACTED : walk(inner, depth + 1);
    }
    return out;
  };
  return walk(value, 0);
}
