/**
 * What main needs from the hub's single entry point (`hub/index.ts`). Stated
 * here rather than imported so the desktop shell depends on these members
 * only, not on the hub's internals, and checked at run time.
 */
export interface EmbeddedHub {
  readonly url: string;
  close(): Promise<void>;
}

export interface EmbeddedHubOptions {
  /** The process environment: IT may still tune the embedded hub with the hub's own VIGIE_* variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** Where the embedded hub keeps its database and demo PACS unless VIGIE_DATA says otherwise, e.g. `<userData>/hub`. */
  dataDir: string;
}

/**
 * Starts the hub in-process on the embedded default. `importHubEntry` is the
 * dynamic import of hub/index.ts, injected so the checks can be tested without it.
 */
export async function startEmbeddedHub(
  importHubEntry: () => Promise<unknown>,
  { env, dataDir }: EmbeddedHubOptions,
): Promise<EmbeddedHub> {
  const entry = await importHubEntry();
  const startHub = isRecord(entry) ? entry.startHub : undefined;
  const loadConfig = isRecord(entry) ? entry.loadConfig : undefined;
  if (typeof startHub !== 'function') {
    throw new Error('The hub entry point (hub/index.ts) does not export a startHub function.');
  }
  if (typeof loadConfig !== 'function') {
    throw new Error('The hub entry point (hub/index.ts) does not export loadConfig, which the desktop shell needs to configure the embedded hub.');
  }
  const config: unknown = loadConfig.call(
    entry,
    {
      ...env,
      VIGIE_DATA: env.VIGIE_DATA ?? dataDir,
      // Only this machine's renderer talks to an embedded hub: it must not listen on the network,
      // and port 0 avoids a clash with a hub already running here.
      VIGIE_HOST: '127.0.0.1',
      VIGIE_PORT: '0',
    },
    dataDir,
  );
  const hub: unknown = await startHub.call(entry, config);
  if (!isRecord(hub) || typeof hub.url !== 'string' || typeof hub.close !== 'function') {
    throw new Error('startHub() from hub/index.ts must resolve to { url: string, close(): Promise<void> }.');
  }
  const { url, close } = hub;
  return { url, close: async () => void (await close.call(hub)) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
