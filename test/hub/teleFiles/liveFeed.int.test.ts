import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeleFileChange } from '../../../core/api/teleFiles.js';
import { IngestService } from '../../../hub/ingest/ingestService.js';
import { createLogger } from '../../../hub/logging/logger.js';
import type { PacsAdapter } from '../../../hub/pacs/pacsAdapter.js';
import { LiveFeed } from '../../../hub/teleFiles/liveFeed.js';
import { DATABASE_KINDS, signInFully, startTestHub, type TestHub } from '../testHub.js';
import { openSse, type SseConnection } from './sseClient.js';
import { demoRegion, stableStudy } from './teleFileFixtures.js';

describe.each(DATABASE_KINDS)('the live worklist (SSE) on %s', (kind) => {
  let hub: TestHub;
  let url: string;
  let feed: LiveFeed;
  let ingest: IngestService;
  const cookies: Record<string, string> = {};
  const streams: SseConnection[] = [];

  beforeAll(async () => {
    hub = await startTestHub(kind, { secondFactorRequiredRoles: [] });
    for (const name of ['dr.live1', 'dr.live2', 'dr.elsewhere']) {
      const user = await hub.createUser(name, ['radiologist']);
      cookies[name] = (await signInFully(hub.app, user.username, user.password)).cookie;
    }
    await demoRegion(hub, ['dr.live1', 'dr.live2']);
    feed = new LiveFeed(hub.services.teleFiles, hub.services.worklist, (error) => {
      throw error;
    }, 100);
    await feed.start();
    hub.services.liveFeed = feed;
    url = await hub.app.listen({ host: '127.0.0.1', port: 0 });
    ingest = new IngestService(hub.database.db, {} as PacsAdapter, hub.services.teleFiles, hub.services.organisation, hub.services.roster, createLogger('silent'), { pollMs: 1000, reconcileWindowMs: 1000 });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await feed?.stop();
    await hub?.close();
  });

  async function stream(name: string, headers: Record<string, string> = {}): Promise<SseConnection> {
    const connection = await openSse(`${url}/api/worklist/events`, { cookie: cookies[name] as string, ...headers });
    streams.push(connection);
    return connection;
  }
  const changeOf = (m: { data: string }) => JSON.parse(m.data) as TeleFileChange;

  // The 1 s target is measured by `npm run bench` (p99 over 200 clients); here: who gets what.
  it('reaches every on-call reader, and no one else', async () => {
    const one = await stream('dr.live1');
    const two = await stream('dr.live2');
    const elsewhere = await stream('dr.elsewhere');
    expect([one.status, two.status, elsewhere.status]).toEqual([200, 200, 200]);

    const { teleFile } = await ingest.ingestStudy(stableStudy());
    const isThis = (m: { event: string; data: string }) => m.event === 'tele-file' && JSON.stringify(changeOf(m)).includes(teleFile.id);
    const [a, b] = await Promise.all([one.waitFor(isThis, 3000, 'the new tele-file on reader 1'), two.waitFor(isThis, 3000, 'the new tele-file on reader 2')]);
    expect(changeOf(b)).toMatchObject({ kind: 'upsert', teleFile: { id: teleFile.id } });
    expect(changeOf(a)).toMatchObject({ kind: 'upsert', teleFile: { id: teleFile.id, status: 'routed' } });

    // A claim by reader 2 shows on reader 1's list as taken.
    const claim = await hub.app.inject({ method: 'POST', url: `/api/tele-files/${teleFile.id}/claim`, headers: { cookie: cookies['dr.live2'] as string } });
    expect(claim.statusCode).toBe(200);
    const taken = await one.waitFor((m) => isThis(m) && (changeOf(m) as { teleFile?: { status: string } }).teleFile?.status === 'claimed', 3000, 'the claim on reader 1');
    expect(changeOf(taken)).toMatchObject({ teleFile: { assignee: { username: 'dr.live2' } } });

    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(elsewhere.messages.filter((m) => m.event === 'tele-file')).toEqual([]);
  });

  it('resumes after a reconnection from the last event it saw', async () => {
    const first = await stream('dr.live1');
    const { teleFile: early } = await ingest.ingestStudy(stableStudy());
    const seen = await first.waitFor((m) => m.data.includes(early.id), 3000, 'the first tele-file');
    first.close();
    // While disconnected:
    const { teleFile: missed } = await ingest.ingestStudy(stableStudy());
    const again = await stream('dr.live1', { 'last-event-id': seen.id as string });
    const caught = await again.waitFor((m) => m.data.includes(missed.id), 3000, 'the tele-file created while disconnected');
    expect(changeOf(caught)).toMatchObject({ kind: 'upsert', teleFile: { id: missed.id } });
    expect(Number(caught.id)).toBeGreaterThan(Number(seen.id));
  });

  it('refuses the stream without a session', async () => {
    const response = await fetch(`${url}/api/worklist/events`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not-signed-in');
  });
});
