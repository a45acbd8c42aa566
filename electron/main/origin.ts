/** The origin of `url` (`scheme://host:port`), or null when it has none worth comparing. */
export function originOf(url: string | URL): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // file:, data:, about: and blob: URLs have an opaque origin ("null") that would compare equal to each other.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  return parsed.origin;
}

export function isSameOrigin(url: string, origin: string): boolean {
  const actual = originOf(url);
  return actual !== null && actual === originOf(origin);
}
