/**
 * A month's rota for a region is a few hundred lines (tens of kB); 1 MB leaves
 * room for a whole year and refuses a wrong file (an export of the whole
 * hospital directory) before it is sent. The desktop shell applies the same cap.
 */
export const ROSTER_CSV_MAX_BYTES = 1_000_000;

/** Size of the text as sent (UTF-8), which is what the cap is about, not its length in characters. */
export function rosterCsvSize(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * The hub's import messages may already start with their line ("ligne 3 : …",
 * "line 3: …"); the page shows the line apart, so it is not said twice.
 */
export function withoutLinePrefix(text: string, line: number | null): string {
  if (line === null) return text;
  const stripped = text.replace(new RegExp(`^\\s*(ligne|line)\\s+${line}\\s*:\\s*`, 'i'), '');
  return stripped === text ? text : stripped.charAt(0).toUpperCase() + stripped.slice(1);
}
