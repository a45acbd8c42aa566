// Claim latency under 50 concurrent claimers: routed tele-files in the demo
// pool, 50 on-call readers with real sessions, each claiming through
// POST /api/tele-files/:id/claim on the real Fastify app listening on loopback
// (one keep-alive connection per reader).
//
// Phase "random" (the figures): 500 files; each reader claims a random file
// among those still open on their worklist; a win or a 409 ("already taken")
// takes the file off every reader's list (the live worklist, made
// instantaneous here), so races are those of claims in flight at the same
// time, and grow as the list empties. It ends when every file is taken.
// Phase "top of the list" (a stress check): 100 more files; each reader takes
// one of the ten oldest open files, as readers at 3 a.m. do, so nearly every
// claim races others for the same file.
//
// After each phase the bench checks that each file was claimed exactly once,
// by the reader who got the 200, in the rows, the event log and the audit
// trail, and that no claim answered anything but 200 or 409: a wrong result
// or a server error fails the bench.
//
// Baseline, same hub, same sessions, same 50 connections, just before:
// GET /api/session (session looked up and checked, nothing written).
import http from 'node:http';
import { DEMO_POOL } from '../hub/organisation/demoOrganisation.js';
import { benchStudy, eachLimited, request, setUpPool, signIn, startBenchHub, type BenchHub } from './benchHub.js';
import { check, distribution, seededRandom, type Distribution } from './stats.js';

const REQUEST_TIMEOUT_MS = 20_000;
const TOP_OF_LIST = 10;

export interface ClaimPhase {
  files: number;
  claim: Distribution;
  won: number;
  conflicts: number;
  seconds: number;
  /** What was checked, or why the phase failed. */
  checks: string[];
  failure?: string;
}

export interface ClaimFigures {
  database: 'postgresql' | 'pglite';
  claimers: number;
  session: Distribution;
  random: ClaimPhase;
  /** Absent when not asked for. */
  topOfList: ClaimPhase | undefined;
}

async function baselineSession(hub: BenchHub, cookies: readonly string[], perClaimer: number, agents: readonly http.Agent[]): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    cookies.map(async (cookie, c) => {
      for (let i = 0; i < perClaimer; i += 1) {
        const answer = await request(`${hub.url}/api/session`, { headers: { cookie }, agent: agents[c], timeoutMs: REQUEST_TIMEOUT_MS });
        check(answer.status === 200, `GET /api/session answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        latencies.push(answer.ms);
      }
    }),
  );
  return latencies;
}

async function ingestFiles(hub: BenchHub, count: number): Promise<string[]> {
  // One real routing decision (the demo pool, at this instant), reused for identical studies: the bench is about claims.
  const decided = await hub.ingest.decide(benchStudy());
  check(decided.decision.outcome === 'routed', `the demo region refused the bench study: ${decided.decision.explanation.en}`);
  const ids: string[] = [];
  await eachLimited(
    Array.from({ length: count }, () => benchStudy()),
    4,
    async (study) => {
      const outcome = await hub.services.teleFiles.ingest(study, async () => decided);
      check(outcome.kind === 'created' && outcome.teleFile.status === 'routed' && outcome.teleFile.target_id === DEMO_POOL, `ingest did not route a study to ${DEMO_POOL}: ${outcome.kind} ${outcome.teleFile.status}`);
      ids.push(outcome.teleFile.id);
    },
  );
  // The worklist's order: oldest first.
  const rows = await hub.database.db.selectFrom('tele_files').select(['id']).where('id', 'in', ids).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.id);
}

async function runPhase(hub: BenchHub, ids: readonly string[], cookies: readonly string[], readerIds: readonly string[], agents: readonly http.Agent[], window: number, seed: number): Promise<ClaimPhase> {
  const open = [...ids];
  const latencies: number[] = [];
  const winner = new Map<string, string>();
  const failures: string[] = [];
  let conflicts = 0;
  const started = performance.now();
  await Promise.all(
    cookies.map(async (cookie, c) => {
      const random = seededRandom(seed + c);
      const me = readerIds[c] as string;
      while (open.length > 0 && failures.length === 0) {
        const id = open[Math.floor(random() * Math.min(window, open.length))] as string;
        const answer = await request(`${hub.url}/api/tele-files/${id}/claim`, { method: 'POST', headers: { cookie }, agent: agents[c], timeoutMs: REQUEST_TIMEOUT_MS });
        latencies.push(answer.ms);
        const at = open.indexOf(id);
        if (answer.status === 200) {
          if (winner.has(id)) failures.push(`tele-file ${id} claimed twice (200 to two readers)`);
          winner.set(id, me);
          if (at >= 0) open.splice(at, 1);
        } else if (answer.status === 409) {
          conflicts += 1;
          if (at >= 0) open.splice(at, 1);
        } else {
          failures.push(`a claim answered ${answer.status || 'nothing'} after ${answer.ms.toFixed(0)} ms: ${answer.body.slice(0, 200)}`);
        }
      }
    }),
  );
  const phase: ClaimPhase = { files: ids.length, claim: distribution(latencies), won: winner.size, conflicts, seconds: (performance.now() - started) / 1000, checks: [] };
  if (failures.length > 0) {
    phase.failure = `${failures.length} claim(s) failed (${latencies.length} sent); first: ${failures[0] ?? ''}`;
    return phase;
  }
  // Exactly once, by the reader who was told so.
  const db = hub.database.db;
  const rows = await db.selectFrom('tele_files').select(['id', 'status', 'assignee_id']).where('id', 'in', [...ids]).execute();
  check(winner.size === ids.length, `${winner.size} of ${ids.length} files were won by a 200`);
  for (const row of rows) check(row.status === 'claimed' && row.assignee_id === winner.get(row.id), `tele-file ${row.id} is ${row.status} by ${row.assignee_id ?? 'nobody'}, but the 200 went to ${winner.get(row.id) ?? 'nobody'}`);
  const claimEvents = await db.selectFrom('tele_file_events').select(['tele_file_id']).where('event', '=', 'claim').where('tele_file_id', 'in', [...ids]).execute();
  check(claimEvents.length === ids.length && new Set(claimEvents.map((e) => e.tele_file_id)).size === ids.length, `${claimEvents.length} claim events for ${ids.length} files`);
  const audited = await db.selectFrom('audit_events').select(['details']).where('action', '=', 'tele-file.transition').where('target_id', 'in', [...ids]).execute();
  const auditedClaims = audited.filter((a) => (a.details as { event?: string }).event === 'claim').length;
  check(auditedClaims === ids.length, `${auditedClaims} audited claims for ${ids.length} files`);
  phase.checks.push(`${rows.length} files claimed once each, by the reader who got the 200`, `${claimEvents.length} claim events`, `${auditedClaims} audited claims`);
  return phase;
}

export async function measureClaims(options: { databaseUrl?: string; files: number; contendedFiles: number; claimers: number }): Promise<ClaimFigures> {
  const database = options.databaseUrl ? 'postgresql' : 'pglite';
  const hub = await startBenchHub(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {});
  const agents = Array.from({ length: options.claimers }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  try {
    const names = Array.from({ length: options.claimers }, (_, i) => `dr.claim${String(i).padStart(2, '0')}`);
    const { password, ids: userIds } = await setUpPool(hub.services, names);
    const readerIds = names.map((n) => userIds.get(n) as string);
    // One reader signs in through the login route; the others get the same kind of
    // session row directly (argon2 makes 50 sign-ins cost ~10–20 s on this machine).
    const cookies = [await signIn(hub.url, names[0] as string, password)];
    for (const id of readerIds.slice(1)) cookies.push(`vigie_session=${(await hub.services.sessions.create(id, 'active', 'web')).token}`);

    const randomIds = await ingestFiles(hub, options.files);
    // Warm-up: every connection opened, JIT warm on both routes (reads only).
    await Promise.all(cookies.map((cookie, c) => request(`${hub.url}/api/tele-files/${randomIds[c % randomIds.length] as string}`, { headers: { cookie }, agent: agents[c] })));
    await baselineSession(hub, cookies, 4, agents);

    const session = distribution(await baselineSession(hub, cookies, Math.ceil((options.files * 1.5) / options.claimers), agents));
    const random = await runPhase(hub, randomIds, cookies, readerIds, agents, Number.POSITIVE_INFINITY, 1000);
    const topOfList = options.contendedFiles > 0 ? await runPhase(hub, await ingestFiles(hub, options.contendedFiles), cookies, readerIds, agents, TOP_OF_LIST, 2000) : undefined;
    return { database, claimers: options.claimers, session, random, topOfList };
  } finally {
    for (const agent of agents) agent.destroy();
    await hub.close();
  }
}
