/**
 * Self-tests of the harness against the real parts: two Orthanc servers,
 * storescu, PostgreSQL, Chromium, and the cleanup of processes and temp dirs.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  freshPostgresDatabase,
  getFreePorts,
  isPortListening,
  isProcessLive,
  launchChromium,
  listStudies,
  makeTempDir,
  orthancGetJson,
  processGroupHasLiveMembers,
  removeTempDir,
  runCommand,
  startOrthanc,
  startPostgres,
  startProcess,
  storeWithStorescu,
  uploadInstance,
  waitFor,
  type OrthancServer,
  type PostgresServer,
} from './index.js';

const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const CT_SMALL = join(TEST_FILES, 'CT_small.dcm');
const MR_SMALL = join(TEST_FILES, 'MR_small.dcm');
const PROCESSES_MODULE = fileURLToPath(new URL('./processes.ts', import.meta.url));

// Zombie-aware: orphans may linger as zombies when PID 1 does not reap them.
const groupAlive = processGroupHasLiveMembers;
const pidAlive = isProcessLive;

describe('processes', () => {
  it('waits for a log line, and stop() kills the whole process group', async () => {
    const proc = await startProcess({
      name: 'shell with a background child',
      command: 'bash',
      args: ['-c', 'sleep 300 & echo "child started"; wait'],
      ready: { logLine: 'child started' },
      startTimeoutMs: 5_000,
    });
    expect(proc.isRunning()).toBe(true);
    expect(groupAlive(proc.pid)).toBe(true);
    expect(proc.logTail()).toContain('child started');
    await proc.stop();
    expect(proc.isRunning()).toBe(false);
    await waitFor(() => !groupAlive(proc.pid), { what: 'process group gone', timeoutMs: 3_000 });
  });

  it('fails a start that never becomes ready, naming the process and quoting its output, and kills it', async () => {
    const started = Date.now();
    const error = await startProcess({
      name: 'never-ready server',
      command: 'bash',
      args: ['-c', 'echo "pid $$ booting"; echo "warning: still booting" >&2; exec sleep 300'],
      ready: { logLine: /listening/ },
      startTimeoutMs: 1_000,
    }).catch((err: unknown) => err as Error);
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toMatch(/never-ready server did not become ready within 1000 ms/);
    expect(message).toContain('booting');
    expect(message).toContain('warning: still booting');
    expect(Date.now() - started).toBeLessThan(5_000);
    const pid = Number(/pid (\d+) booting/.exec(message)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await waitFor(() => !pidAlive(pid), { what: 'never-ready process killed', timeoutMs: 3_000 });
  });

  it('fails at once when the process exits before it is ready', async () => {
    const error = await startProcess({
      name: 'crashing server',
      command: 'bash',
      args: ['-c', 'echo "fatal: bad config" >&2; exit 3'],
      ready: { url: 'http://127.0.0.1:9/never' },
      startTimeoutMs: 10_000,
    }).catch((err: unknown) => err as Error);
    expect((error as Error).message).toMatch(/crashing server exited \(code 3\) before it was ready/);
    expect((error as Error).message).toContain('fatal: bad config');
  });

  it('polls a URL until it answers', async () => {
    const [port] = await getFreePorts(1);
    const proc = await startProcess({
      name: 'node http server',
      command: process.execPath,
      args: [
        '-e',
        `setTimeout(() => require('http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1'), 300)`,
      ],
      ready: { url: `http://127.0.0.1:${port}/` },
      startTimeoutMs: 10_000,
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await proc.stop();
    expect(await isPortListening(port ?? 0)).toBe(false);
  });

  it('runCommand reports failures and timeouts with the output', async () => {
    const ok = await runCommand('bash', ['-c', 'echo out; echo err >&2']);
    expect(ok.stdout).toBe('out\n');
    expect(ok.stderr).toBe('err\n');
    await expect(runCommand('bash', ['-c', 'echo "why it failed" >&2; exit 2'], { name: 'failing tool' })).rejects.toThrow(
      /failing tool failed \(exit code 2\)[\s\S]*why it failed/,
    );
    const started = Date.now();
    await expect(runCommand('sleep', ['30'], { name: 'slow tool', timeoutMs: 500 })).rejects.toThrow(
      /slow tool did not finish within 500 ms/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['exits normally without stopping it', 'process.exit(0);'],
    ['throws an uncaught error', "setTimeout(() => { throw new Error('boom'); }, 10);"],
    ['is sent SIGTERM', 'setInterval(() => {}, 1000);'],
  ])('kills leftovers when the test process %s', async (label, ending) => {
    const script = [
      `const { startProcess } = await import(${JSON.stringify(PROCESSES_MODULE)});`,
      "const p = await startProcess({ name: 'leftover', command: 'sleep', args: ['300'] });",
      'console.log(`PID ${p.pid}`);',
      ending,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const leftoverPid = await waitFor(
      () => {
        const match = /PID (\d+)/.exec(output);
        if (match === null) throw new Error(`no pid printed yet; output so far: ${output}`);
        return Number(match[1]);
      },
      { what: `the leftover pid from a child that ${label}`, timeoutMs: 15_000 },
    );
    if (label.includes('SIGTERM')) {
      expect(pidAlive(leftoverPid)).toBe(true);
      child.kill('SIGTERM');
    }
    await exited;
    await waitFor(() => !pidAlive(leftoverPid), { what: `leftover ${leftoverPid} killed`, timeoutMs: 3_000 });
  }, 30_000);
});

describe('waitFor and temp dirs', () => {
  it('returns the first truthy value', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : undefined), { what: 'third call', intervalMs: 10 })).toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { what: 'the impossible', timeoutMs: 200, intervalMs: 20 },
      ),
    ).rejects.toThrow(/timed out after 200 ms waiting for the impossible \(last error: not yet\)/);
  });

  it('makes and removes vigie-test- dirs, and refuses to remove anything else', async () => {
    const dir = await makeTempDir('self test');
    expect(dir).toMatch(/vigie-test-self_test-/);
    expect(existsSync(dir)).toBe(true);
    await removeTempDir(dir);
    expect(existsSync(dir)).toBe(false);
    await expect(removeTempDir('/etc')).rejects.toThrow(/refusing to remove/);
  });
});

describe('Orthanc pivot and site', () => {
  let pivot: OrthancServer;
  let site: OrthancServer;
  let studyUid: string;

  beforeAll(async () => {
    const [siteHttp, siteDicom] = await getFreePorts(2);
    const starting = Date.now();
    [site, pivot] = await Promise.all([
      startOrthanc({ name: 'site', aet: 'SITE_A', httpPort: siteHttp, dicomPort: siteDicom }),
      startOrthanc({
        name: 'pivot',
        aet: 'PIVOT',
        stableAgeSeconds: 1,
        dicomModalities: { site: { aet: 'SITE_A', port: siteDicom ?? 0 } },
        dicomWebServers: { site: { url: `http://127.0.0.1:${siteHttp}/dicom-web/` } },
      }),
    ]);
    expect(Date.now() - starting).toBeLessThan(30_000);
  }, 60_000);

  afterAll(async () => {
    const servers = [pivot, site].filter((s): s is OrthancServer => s !== undefined);
    await Promise.all(servers.map((s) => s.stop()));
    for (const s of servers) {
      expect(await isPortListening(s.httpPort)).toBe(false);
      expect(await isPortListening(s.dicomPort)).toBe(false);
      expect(existsSync(s.dir)).toBe(false);
    }
  }, 60_000);

  it('runs two servers with their own names, ports, storage and only the DICOMweb plugin', async () => {
    const pivotSystem = await orthancGetJson<{ Name: string; DicomAet: string; DicomPort: number }>(pivot, '/system');
    const siteSystem = await orthancGetJson<{ Name: string; DicomAet: string }>(site, '/system');
    expect(pivotSystem).toMatchObject({ Name: 'pivot', DicomAet: 'PIVOT', DicomPort: pivot.dicomPort });
    expect(siteSystem).toMatchObject({ Name: 'site', DicomAet: 'SITE_A' });
    expect(pivot.httpUrl).toBe(`http://127.0.0.1:${pivot.httpPort}`);
    expect(new Set([pivot.httpPort, pivot.dicomPort, site.httpPort, site.dicomPort]).size).toBe(4);
    expect(pivot.storageDir).not.toBe(site.storageDir);
    // explorer.js is Orthanc Explorer's built-in entry, not a loaded plugin.
    const plugins = await orthancGetJson<string[]>(pivot, '/plugins');
    expect(plugins.filter((p) => p !== 'explorer.js')).toEqual(['dicom-web']);
    const config = JSON.parse(await readFile(pivot.configPath, 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ RemoteAccessAllowed: false, AuthenticationEnabled: false, StableAge: 1 });
    expect(config.Plugins).toEqual(['/usr/lib/orthanc/libOrthancDicomWeb.so.1.7']);
    expect(await listStudies(pivot)).toEqual([]);
  });

  it('receives a study from storescu, visible in /studies and through QIDO-RS', async () => {
    await storeWithStorescu(pivot, [CT_SMALL]);
    const studies = await listStudies(pivot);
    expect(studies).toHaveLength(1);
    const study = await orthancGetJson<{ MainDicomTags: { StudyInstanceUID: string } }>(pivot, `/studies/${studies[0]}`);
    studyUid = study.MainDicomTags.StudyInstanceUID;
    expect(studyUid).toMatch(/^[0-9.]+$/);

    const qido = await fetch(`${pivot.dicomWebUrl}/studies`, { headers: { Accept: 'application/dicom+json' } });
    expect(qido.status).toBe(200);
    const qidoStudies = (await qido.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(qidoStudies).toHaveLength(1);
    expect(qidoStudies[0]?.['0020000D']?.Value).toEqual([studyUid]);
    expect(await listStudies(site)).toEqual([]);
  });

  it('emits StableStudy after StableAge', async () => {
    const change = await waitFor(
      async () => {
        const changes = await orthancGetJson<{ Changes: Array<{ ChangeType: string; ID: string }> }>(pivot, '/changes?limit=100');
        return changes.Changes.find((c) => c.ChangeType === 'StableStudy');
      },
      { what: 'StableStudy in the pivot change feed', timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(await listStudies(pivot)).toContain(change.ID);
  });

  it('sends to the site configured in DicomModalities, and accepts exact-byte uploads', async () => {
    const [studyId] = await listStudies(pivot);
    const response = await fetch(`${pivot.httpUrl}/modalities/site/store`, {
      method: 'POST',
      body: JSON.stringify({ Resources: [studyId], Synchronous: true }),
    });
    expect(response.status).toBe(200);
    expect(await listStudies(site)).toHaveLength(1);

    const bytes = await readFile(MR_SMALL);
    const first = await uploadInstance(site, bytes);
    expect(first.Status).toBe('Success');
    expect((await uploadInstance(site, bytes)).Status).toBe('AlreadyStored');
    expect(await listStudies(site)).toHaveLength(2);
  });

  it('reaches the site configured in DicomWeb.Servers', async () => {
    expect(await orthancGetJson<string[]>(pivot, '/dicom-web/servers')).toEqual(['site']);
    const response = await fetch(`${pivot.httpUrl}/dicom-web/servers/site/get`, {
      method: 'POST',
      body: JSON.stringify({ Uri: '/studies' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as unknown[]).length).toBe(2);
  });

  it('reports a storescu failure clearly (compressed file without its syntax flag)', async () => {
    await expect(storeWithStorescu(site, [join(TEST_FILES, 'JPEG-lossy.dcm')])).rejects.toThrow(
      /storescu to Orthanc "site" failed[\s\S]*Store Failed/,
    );
    await storeWithStorescu(site, [join(TEST_FILES, 'JPEG-lossy.dcm')], { syntaxFlag: '-xx' });
    expect(await listStudies(site)).toHaveLength(3);
  });

  it('keeps its studies across kill() and restart(), on the same ports', async () => {
    const oldPid = pivot.pid;
    await pivot.kill();
    expect(pivot.isRunning()).toBe(false);
    expect(pidAlive(oldPid ?? 0)).toBe(false);
    expect(await isPortListening(pivot.httpPort)).toBe(false);

    await pivot.restart();
    expect(pivot.isRunning()).toBe(true);
    expect(pivot.pid).not.toBe(oldPid);
    const qido = await fetch(`${pivot.dicomWebUrl}/studies?StudyInstanceUID=${studyUid}`, {
      headers: { Accept: 'application/dicom+json' },
    });
    expect(((await qido.json()) as unknown[]).length).toBe(1);
    expect(await listStudies(pivot)).toHaveLength(1);
    expect(await isPortListening(pivot.dicomPort)).toBe(true);
  }, 60_000);
});

describe('PostgreSQL', () => {
  let server: PostgresServer;

  beforeAll(async () => {
    server = await startPostgres();
  }, 90_000);

  afterAll(async () => {
    if (server === undefined) return;
    await server.stop();
    expect(await isPortListening(server.port)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  }, 60_000);

  it('creates a database and answers select 1 on loopback', async () => {
    expect(server.url).toBe(`postgres://postgres@127.0.0.1:${server.port}/postgres`);
    const url = await server.createDatabase('harness_self_test');
    expect(url).toBe(`postgres://postgres@127.0.0.1:${server.port}/harness_self_test`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ one: number; db: string; fsync: string }>(
        "select 1 as one, current_database() as db, current_setting('fsync') as fsync",
      );
      expect(result.rows).toEqual([{ one: 1, db: 'harness_self_test', fsync: 'off' }]);
    } finally {
      await client.end();
    }
    const unique = await server.createDatabase();
    expect(unique).toMatch(/\/vigie_test_[a-z0-9_]+$/);
    await expect(server.createDatabase('Robert"; drop')).rejects.toThrow(/invalid test database name/);
  });

  it.runIf(inject('postgresUrl') as string | undefined)(
    'gives each test file a fresh database on the run-wide server (globalSetup)',
    async () => {
      const url = await freshPostgresDatabase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const result = await client.query<{ one: number }>('select 1 as one');
        expect(result.rows[0]?.one).toBe(1);
      } finally {
        await client.end();
      }
    },
  );
});

describe('Chromium', () => {
  let http: Server;
  let baseUrl: string;

  beforeAll(async () => {
    http = createServer((request, response) => {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end('<!doctype html><title>Vigie</title><p id="greeting">Bonjour depuis le harnais</p>');
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const address = http.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('loads a local page, reads text back, applies locale and time zone, and collects errors', async () => {
    const browser = await launchChromium({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
    try {
      await browser.page.goto(baseUrl);
      expect(await browser.page.textContent('#greeting')).toBe('Bonjour depuis le harnais');
      expect(await browser.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('Europe/Paris');
      expect(await browser.page.evaluate(() => navigator.language)).toBe('fr-FR');

      await browser.page.goto('data:text/html;charset=utf-8,<p>donn%C3%A9es</p>');
      expect(await browser.page.textContent('p')).toBe('données');

      expect(browser.consoleErrors).toEqual([]);
      expect(browser.pageErrors).toEqual([]);
      await browser.page.evaluate(() => {
        console.error('visible console error');
        setTimeout(() => {
          throw new Error('uncaught in page');
        }, 0);
      });
      await waitFor(() => browser.pageErrors.length > 0, { what: 'the page error', timeoutMs: 5_000 });
      expect(browser.consoleErrors).toEqual(['visible console error']);
      expect(browser.pageErrors[0]).toContain('uncaught in page');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('launches in CPU-only mode and removes its profile on close', async () => {
    const browser = await launchChromium({ cpuOnly: true });
    const page = await browser.context.newPage();
    await page.setContent('<canvas id="c"></canvas><p id="t"></p>');
    const text = await page.evaluate(() => {
      const canvas = document.getElementById('c') as HTMLCanvasElement;
      const ctx = canvas.getContext('2d');
      ctx?.fillRect(0, 0, 1, 1);
      return `2d:${ctx === null ? 'no' : 'yes'}`;
    });
    expect(text).toBe('2d:yes');
    expect(existsSync(browser.userDataDir)).toBe(true);
    await browser.close();
    await browser.close(); // idempotent
    expect(existsSync(browser.userDataDir)).toBe(false);
  }, 60_000);
});
