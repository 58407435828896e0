import ts from 'typescript';

/**
 * Finds text a component shows without going through i18n: JSX text, string literals and template
 * literals inside JSX, and literal values of the attributes a person reads or hears (aria-label,
 * title, alt, placeholder, aria-valuetext, aria-description). Text counts when it has a letter (any
 * script) or any non-ASCII character; digits, spaces and ASCII punctuation do not. Test-only helper.
 */
export interface LiteralFinding {
  file: string;
  line: number;
  text: string;
}

const READ_ATTRIBUTES = new Set([
  'aria-label',
  'title',
  'alt',
  'placeholder',
  'aria-valuetext',
  'aria-description',
]);

/**
 * Literal text that is fine where it stands, each for a reason:
 * - `−` (U+2212): the minus sign on the copies button; its aria-label comes from i18n.
 * - `—`: the dash between a reason and where to go in the menu's summary (both parts translated).
 */
export const ALLOWED_LITERALS: ReadonlySet<string> = new Set(['−', '—']);

function readable(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '' || ALLOWED_LITERALS.has(trimmed)) return false;
  return /\p{L}/u.test(trimmed) || /[\u0080-\u{10ffff}]/u.test(trimmed);
}

export function findUntranslatedLiterals(file: string, source: string): LiteralFinding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  const findings: LiteralFinding[] = [];
  const report = (node: ts.Node, text: string) =>
    findings.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      text: text.trim(),
    });

  const literalText = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (ts.isTemplateExpression(node))
      return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' ');
    return undefined;
  };

  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && readable(node.text)) report(node, node.text);
    if (ts.isJsxExpression(node) && node.expression && ts.isJsxElement(node.parent)) {
      const text = literalText(node.expression);
      if (text !== undefined && readable(text)) report(node, text);
    }
    if (ts.isJsxAttribute(node) && READ_ATTRIBUTES.has(node.name.getText(sf)) && node.initializer) {
      const value = ts.isJsxExpression(node.initializer) ? node.initializer.expression : node.initializer;
      const text = value ? literalText(value) : undefined;
      if (text !== undefined && readable(text)) report(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}
