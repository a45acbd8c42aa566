const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "12h", "1.5h" → milliseconds; anything else → null. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) return null;
  const value = Number(match[1]) * (UNITS[match[2] as string] as number);
  return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
}
