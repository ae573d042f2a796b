/**
 * The prompt in a selection made in any file: comment markers are dropped, and when the
 * selection is a line of code holding one string literal (`prompt: "a red fox",`), the
 * literal's text is the prompt. Lines are joined with spaces.
 */
export function cleanPrompt(text: string): string {
  const joined = text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(\/\/+|#+|\*+|<!--|--|;+)\s?/, '').replace(/\s*(-->|\*\/)\s*$/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const literal = /^([^'"`]*)(['"`])((?:(?!\2).)+)\2([^'"`]*)$/.exec(joined);
  if (!literal) return joined;
  // The regex has four groups, all present on a match.
  const around = literal[1]! + literal[4]!;
  // Only the quotes, or code around them: the literal is the prompt. Prose keeps its apostrophes.
  return around.trim() === '' || /[=:(,]/.test(around) ? literal[3]!.trim() : joined;
}
