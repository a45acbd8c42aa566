export type HubEndpoint =
  | { readonly kind: 'remote'; readonly url: URL; readonly source: 'VIGIE_HUB_URL' | 'settings' }
  /** No hub configured: main starts one in-process on the embedded default (demo, single site). */
  | { readonly kind: 'embedded' };

export type HubEndpointResult = { ok: true; value: HubEndpoint } | { ok: false; error: string };

export interface HubEndpointSources {
  env: Readonly<Record<string, string | undefined>>;
  settings?: { readonly hubUrl?: string | undefined } | null;
}

/** The environment wins over the settings file, so IT can point a managed workstation elsewhere without editing it. */
export function resolveHubEndpoint({ env, settings }: HubEndpointSources): HubEndpointResult {
  const fromEnv = env.VIGIE_HUB_URL?.trim();
  if (fromEnv) return checkHubUrl(fromEnv, 'VIGIE_HUB_URL');
  const fromSettings = settings?.hubUrl?.trim();
  if (fromSettings) return checkHubUrl(fromSettings, 'settings');
  return { ok: true, value: { kind: 'embedded' } };
}

function checkHubUrl(text: string, source: 'VIGIE_HUB_URL' | 'settings'): HubEndpointResult {
  const where = source === 'settings' ? 'the hub URL in the settings file' : 'VIGIE_HUB_URL';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `${where} is not a URL: "${text}". Expected e.g. https://vigie.example.org/.` };
  }
  if (url.username || url.password) {
    return { ok: false, error: `${where} must not contain a user name or password.` };
  }
  // The session token travels as a bearer header: over plain HTTP it must not leave the machine.
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return { ok: false, error: `${where} uses http:// to another machine (${url.host}); use https:// so the session cannot be read on the network.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `${where} must be an https:// URL, got ${url.protocol}//.` };
  }
  url.search = '';
  url.hash = '';
  return { ok: true, value: { kind: 'remote', url, source } };
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}
