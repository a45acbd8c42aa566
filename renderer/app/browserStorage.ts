/** localStorage, or undefined where the browser refuses it (policy, sandboxed frame). */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
