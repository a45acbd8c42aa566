/**
 * Real Orthanc servers for tests (Debian `orthanc` + `orthanc-dicomweb`).
 *
 * Each server gets its own temp dir with a JSON config and a storage
 * directory, HTTP on a free 127.0.0.1 port (`RemoteAccessAllowed: false`, no
 * authentication) and DICOM on a free port (Orthanc has no bind address: the
 * DICOM port listens on all interfaces). Only the DICOMweb plugin is loaded,
 * by full path; never GDCM (it crashes Orthanc's small civetweb stacks).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getFreePort, isPortListening } from './freePort.js';
import { runCommand, startProcess, type CommandResult, type ManagedProcess } from './processes.js';
import { makeTempDir, removeTempDir } from './tempDir.js';

export const ORTHANC_BINARY = process.env.VIGIE_ORTHANC_BINARY ?? '/usr/sbin/Orthanc';
const DICOMWEB_PLUGIN_CANDIDATES = [
  process.env.VIGIE_ORTHANC_DICOMWEB_PLUGIN,
  '/usr/lib/orthanc/libOrthancDicomWeb.so.1.7',
  '/usr/share/orthanc/plugins/libOrthancDicomWeb.so',
].filter((p): p is string => p !== undefined && p !== '');

/** A DICOM peer as Orthanc's `DicomModalities` wants it. */
export interface DicomPeer {
  aet: string;
  host?: string; // default 127.0.0.1
  port: number;
}

/** A DICOMweb server as the plugin's `DicomWeb.Servers` wants it. */
export interface DicomWebPeer {
  url: string;
  username?: string;
  password?: string;
}

export interface StartOrthancOptions {
  /** Label and Orthanc `Name` ("pivot", "site-a"). */
  name: string;
  /** DICOM AE title; default derived from the name (upper-case, ≤ 16 chars). */
  aet?: string;
  /** Seconds without new instances before StableStudy; default 1. */
  stableAgeSeconds?: number;
  dicomModalities?: Record<string, DicomPeer>;
  dicomWebServers?: Record<string, DicomWebPeer>;
  /** Pre-allocated ports (to cross-configure two servers); default: free ports. */
  httpPort?: number;
  dicomPort?: number;
  /** Merged last into the top level of the configuration. */
  extraConfig?: Record<string, unknown>;
  /** Default 30 000 ms. */
  startTimeoutMs?: number;
}

export interface OrthancServer {
  readonly name: string;
  readonly aet: string;
  /** http://127.0.0.1:PORT (no trailing slash). */
  readonly httpUrl: string;
  /** http://127.0.0.1:PORT/dicom-web (no trailing slash). */
  readonly dicomWebUrl: string;
  readonly httpPort: number;
  readonly dicomPort: number;
  /** This server as a DICOM peer, for another server's DicomModalities. */
  readonly modality: DicomPeer;
  /** Temp dir holding the config and the storage. */
  readonly dir: string;
  readonly storageDir: string;
  readonly configPath: string;
  readonly pid: number | undefined;
  isRunning(): boolean;
  /** Last lines of Orthanc's output. */
  logTail(): string;
  /** Kills the process (SIGKILL: its storage is discarded anyway), then removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /**
   * Stops the process if running (gracefully: SIGTERM, ~3.5 s) and starts it
   * again on the same storage and ports. After kill(), restarts at once.
   */
  restart(): Promise<void>;
  /** SIGKILL, keeping storage (crash tests). Call restart() or stop() afterwards. */
  kill(): Promise<void>;
}

export function findDicomWebPlugin(): string {
  const found = DICOMWEB_PLUGIN_CANDIDATES.find((p) => existsSync(p));
  if (found === undefined) {
    throw new Error(
      `Orthanc DICOMweb plugin not found (looked at ${DICOMWEB_PLUGIN_CANDIDATES.join(', ')}); ` +
        'install orthanc-dicomweb (npm run test:setup) or set VIGIE_ORTHANC_DICOMWEB_PLUGIN',
    );
  }
  return found;
}

/** Orthanc's messages when it cannot bind a port. */
const PORT_PROBLEM = /already in use|cannot bind|cannot listen|privileged/i;

function defaultAet(name: string): string {
  const aet = name.toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, 16);
  return aet === '' ? 'ORTHANC' : aet;
}

function buildConfig(
  options: StartOrthancOptions,
  aet: string,
  storageDir: string,
  httpPort: number,
  dicomPort: number,
): Record<string, unknown> {
  const modalities: Record<string, unknown> = {};
  for (const [key, peer] of Object.entries(options.dicomModalities ?? {})) {
    modalities[key] = { AET: peer.aet, Host: peer.host ?? '127.0.0.1', Port: peer.port };
  }
  const servers: Record<string, unknown> = {};
  for (const [key, peer] of Object.entries(options.dicomWebServers ?? {})) {
    servers[key] = {
      Url: peer.url,
      ...(peer.username === undefined ? {} : { Username: peer.username }),
      ...(peer.password === undefined ? {} : { Password: peer.password }),
    };
  }
  return {
    Name: options.name,
    StorageDirectory: storageDir,
    IndexDirectory: storageDir,
    StorageCompression: false,
    HttpServerEnabled: true,
    HttpPort: httpPort,
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    SslEnabled: false,
    DicomServerEnabled: true,
    DicomAet: aet,
    DicomPort: dicomPort,
    DicomCheckCalledAet: false,
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomModalities: modalities,
    DicomModalitiesInDatabase: false,
    OrthancPeers: {},
    StableAge: options.stableAgeSeconds ?? 1,
    SaveJobs: false,
    Plugins: [findDicomWebPlugin()],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      EnableWado: true,
      WadoRoot: '/wado',
      Ssl: false,
      Servers: servers,
    },
    ...options.extraConfig,
  };
}

/** Starts an Orthanc server and resolves once GET /system answers and the DICOM port listens. */
export async function startOrthanc(options: StartOrthancOptions): Promise<OrthancServer> {
  if (!existsSync(ORTHANC_BINARY)) {
    throw new Error(`Orthanc binary not found at ${ORTHANC_BINARY}; install orthanc (npm run test:setup)`);
  }
  const aet = options.aet ?? defaultAet(options.name);
  const dir = await makeTempDir(`orthanc-${options.name}`);
  const storageDir = join(dir, 'storage');
  const configPath = join(dir, 'orthanc.json');
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;

  let proc: ManagedProcess | undefined;
  let httpPort = 0;
  let dicomPort = 0;
  let stopped = false;

  const launch = async (): Promise<ManagedProcess> =>
    startProcess({
      name: `Orthanc "${options.name}" (HTTP ${httpPort}, DICOM ${dicomPort})`,
      command: ORTHANC_BINARY,
      args: [configPath],
      cwd: dir,
      ready: {
        description: `GET http://127.0.0.1:${httpPort}/system and DICOM port ${dicomPort}`,
        check: async () => {
          const response = await fetch(`http://127.0.0.1:${httpPort}/system`, { signal: AbortSignal.timeout(2_000) });
          await response.body?.cancel();
          return response.ok && (await isPortListening(dicomPort));
        },
      },
      startTimeoutMs,
      stopGraceMs: 10_000,
    });

  try {
    await mkdir(storageDir, { recursive: true });
    // Free ports can be taken between the check and Orthanc's bind: retry
    // with new ports when we chose them.
    const choosePorts = options.httpPort === undefined || options.dicomPort === undefined;
    for (let attempt = 1; ; attempt++) {
      httpPort = options.httpPort ?? (await getFreePort('127.0.0.1'));
      dicomPort = options.dicomPort ?? (await getFreePort('0.0.0.0'));
      if (httpPort === dicomPort) continue;
      await writeFile(configPath, JSON.stringify(buildConfig(options, aet, storageDir, httpPort, dicomPort), null, 2));
      try {
        proc = await launch();
        break;
      } catch (err) {
        if (!choosePorts || !PORT_PROBLEM.test((err as Error).message) || attempt >= 3) throw err;
      }
    }
  } catch (err) {
    await removeTempDir(dir);
    throw err;
  }

  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const server: OrthancServer = {
    name: options.name,
    aet,
    httpUrl,
    dicomWebUrl: `${httpUrl}/dicom-web`,
    httpPort,
    dicomPort,
    modality: { aet, host: '127.0.0.1', port: dicomPort },
    dir,
    storageDir,
    configPath,
    get pid() {
      return proc?.pid;
    },
    isRunning: () => proc?.isRunning() ?? false,
    logTail: () => proc?.logTail() ?? '',
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        // The storage is thrown away, so a graceful shutdown buys nothing and
        // costs ~3.5 s (civetweb and the DICOM server poll for shutdown).
        await proc?.kill();
      } finally {
        await removeTempDir(dir);
      }
    },
    async kill() {
      await proc?.kill();
    },
    async restart() {
      if (stopped) throw new Error(`Orthanc "${options.name}" was stopped (its storage is gone); it cannot restart`);
      await proc?.stop();
      // The old sockets may hold the ports for a moment after a crash.
      for (let attempt = 1; ; attempt++) {
        try {
          proc = await launch();
          return;
        } catch (err) {
          if (!PORT_PROBLEM.test((err as Error).message) || attempt >= 5) throw err;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    },
  };
  return server;
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async function orthancFetch(orthanc: OrthancServer, path: string, init?: RequestInit): Promise<Response> {
  const url = `${orthanc.httpUrl}${path}`;
  const response = await fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(30_000) });
  if (!response.ok) {
    const body = (await response.text()).slice(0, 500);
    throw new Error(`Orthanc "${orthanc.name}": ${init?.method ?? 'GET'} ${path} answered ${response.status}: ${body}`);
  }
  return response;
}

/** GET a JSON resource of Orthanc's REST API (path starts with "/"). */
export async function orthancGetJson<T = unknown>(orthanc: OrthancServer, path: string): Promise<T> {
  const response = await orthancFetch(orthanc, path, { headers: { Accept: 'application/json' } });
  return (await response.json()) as T;
}

/** Orthanc IDs of the studies it holds (GET /studies). */
export function listStudies(orthanc: OrthancServer): Promise<string[]> {
  return orthancGetJson<string[]>(orthanc, '/studies');
}

export interface UploadResult {
  ID: string;
  Path: string;
  Status: 'Success' | 'AlreadyStored' | string;
  ParentPatient: string;
  ParentStudy: string;
  ParentSeries: string;
}

/** Uploads one Part-10 file byte for byte (POST /instances; unlike storescu, never re-encodes). */
export async function uploadInstance(orthanc: OrthancServer, bytes: Uint8Array): Promise<UploadResult> {
  const response = await orthancFetch(orthanc, '/instances', {
    method: 'POST',
    headers: { 'Content-Type': 'application/dicom' },
    body: bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes),
  });
  return (await response.json()) as UploadResult;
}

/** Adds or replaces a DICOM modality at runtime (PUT /modalities/{name}); not persisted. */
export async function setModality(orthanc: OrthancServer, name: string, peer: DicomPeer): Promise<void> {
  const response = await orthancFetch(orthanc, `/modalities/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ AET: peer.aet, Host: peer.host ?? '127.0.0.1', Port: peer.port }),
  });
  await response.body?.cancel();
}

export interface StorescuOptions {
  /**
   * Transfer syntax proposal flag, needed for compressed files: `-xy` JPEG
   * baseline, `-xx` extended, `-xs` lossless, `-xw` J2K, `-xv` J2K lossless,
   * `-xr` RLE, `-xt` JPEG-LS. Add `-R` in extraArgs for unusual SOP classes.
   */
  syntaxFlag?: string;
  /** Calling AE title; default VIGIETEST. */
  callingAet?: string;
  extraArgs?: string[];
  /** Default 60 000 ms. */
  timeoutMs?: number;
}

/**
 * Sends files to Orthanc with dcmtk's storescu, playing a modality. Throws
 * when storescu fails or reports an error line. Note that storescu may
 * re-encode what it sends: use uploadInstance() to send exact bytes.
 */
export async function storeWithStorescu(
  orthanc: OrthancServer,
  files: string[],
  options: StorescuOptions = {},
): Promise<CommandResult> {
  if (files.length === 0) throw new Error('storeWithStorescu: no files given');
  const args = [
    '-aet',
    options.callingAet ?? 'VIGIETEST',
    '-aec',
    orthanc.aet,
    ...(options.syntaxFlag === undefined ? [] : [options.syntaxFlag]),
    ...(options.extraArgs ?? []),
    '127.0.0.1',
    String(orthanc.dicomPort),
    ...files,
  ];
  const result = await runCommand('storescu', args, {
    name: `storescu to Orthanc "${orthanc.name}"`,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const errors = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /^[EF]: /.test(line));
  if (errors.length > 0) {
    throw new Error(`storescu to Orthanc "${orthanc.name}" reported errors:\n${errors.slice(-20).join('\n')}`);
  }
  return result;
}
