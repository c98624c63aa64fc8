/**
 * Description text as Microsoft's solution packager writes it: trailing
 * whitespace trimmed, and a pair of literal single quotes around the whole
 * text removed (upstream often writes `description: |` followed by `'...'`,
 * where the quotes were meant as YAML quoting but are literal in a block).
 */
export function cleanDescription(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed.length >= 2 && trimmed.startsWith("'") && trimmed.endsWith("'")) return trimmed.slice(1, -1);
  return trimmed;
}
