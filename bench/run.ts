// `npm run bench`: the figures each issue asks for, as ratios against a baseline measured in the same run.
// `npx tsx bench/run.ts viewer` (or `npm run bench -- viewer`) runs only the benchmarks named: startup,
// throughput, routing, claims, live-feed, ingest, viewer, reporting, or a whole issue (issue3, issue4, issue5, issue6).
import os from 'node:os';
import path from 'node:path';
import { measureStartup, measureThroughput } from './hubBench.js';
import { measureClaims, type ClaimPhase } from './claimBench.js';
import { measureIngestDelay } from './ingestDelayBench.js';
import { LIVE_FEED_POLL_MS, measureLiveFeed } from './liveFeedBench.js';
import { measureRouting } from './routingBench.js';
import { measureViewer, viewerReport } from './viewerBench.js';
import { deliveryReport, generationReport, measureReporting } from './reportingBench.js';
import { findPostgresBinDir, startPostgres, type PostgresServer } from '../test/harness/postgres.js';
import { median as medianOf, type Distribution } from './stats.js';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const fmt = (n: number, digits = 0) => n.toFixed(digits);
const out = (line = '') => process.stdout.write(`${line}\n`);

const BENCHES: Record<string, string> = { startup: 'issue3', throughput: 'issue3', routing: 'issue4', claims: 'issue4', 'live-feed': 'issue4', ingest: 'issue4', viewer: 'issue5', reporting: 'issue6' };
const selected = process.argv.slice(2);
for (const name of selected) {
  if (!(name in BENCHES) && !Object.values(BENCHES).includes(name)) {
    process.stderr.write(`unknown benchmark "${name}": choose among ${[...Object.keys(BENCHES), ...new Set(Object.values(BENCHES))].join(', ')}\n`);
    process.exit(2);
  }
}
/** True when no benchmark was named, or this one or its issue was. */
const wants = (name: string) => selected.length === 0 || selected.includes(name) || selected.includes(BENCHES[name] ?? '');

process.stdout.write(`Vigie bench — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n\n`);

// ---------------------------------------------------------------------------
// Issue 3 (foundation)
// ---------------------------------------------------------------------------

if (wants('startup')) {
  const startup = await measureStartup(3);
  const hubMedian = median(startup.hubMs);
  const baseMedian = median(startup.baselineMs);
  process.stdout.write('Hub cold start to ready (embedded default: PGlite, demo data present), 3 runs\n');
  process.stdout.write(`  hub:      median ${fmt(hubMedian)} ms   (runs: ${startup.hubMs.map((v) => fmt(v)).join(', ')})\n`);
  process.stdout.write(`  baseline: median ${fmt(baseMedian)} ms   (minimal Fastify server under tsx)\n`);
  process.stdout.write(`  ratio hub / baseline: ${fmt(hubMedian / baseMedian, 2)}\n\n`);
}

if (wants('throughput')) {
  const throughput = await measureThroughput(5000, 16);
  const { authenticated: a, health: h } = throughput;
  process.stdout.write('Request throughput, 16 keep-alive connections, 5 s each, PGlite\n');
  process.stdout.write(`  GET /api/worklist (session checked): ${fmt(a.perSecond)} req/s, p50 ${fmt(a.p50ms, 1)} ms, p99 ${fmt(a.p99ms, 1)} ms, errors ${a.errors}\n`);
  process.stdout.write(`  GET /api/health (no session):        ${fmt(h.perSecond)} req/s, p50 ${fmt(h.p50ms, 1)} ms, p99 ${fmt(h.p99ms, 1)} ms, errors ${h.errors}\n`);
  process.stdout.write(`  ratio authenticated / health: ${fmt(a.perSecond / h.perSecond, 2)}\n`);
}

// ---------------------------------------------------------------------------
// Issue 4 (tele-files: routing, claim, live worklist, ingest)
// ---------------------------------------------------------------------------

const failed: string[] = [];
/** Runs one benchmark; a failure is printed loudly, the next ones still run, and the run exits 1. */
async function section(name: string, run: () => Promise<void>, key?: string): Promise<void> {
  if (key !== undefined && !wants(key)) return;
  const started = performance.now();
  try {
    await run();
    out(`  (${fmt((performance.now() - started) / 1000, 1)} s)`);
  } catch (error) {
    failed.push(name);
    out(`  *** FAILED: ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
  out();
}
const ms = (n: number) => `${fmt(n, n < 10 ? 1 : 0)} ms`;
const spread = (d: Distribution) => `p50 ${ms(d.p50)}, p99 ${ms(d.p99)}, max ${ms(d.max)}`;
const thousands = (n: number) => Math.round(n).toLocaleString('en-US').replace(/,/g, ' ');

if (wants('routing') || wants('claims') || wants('live-feed') || wants('ingest')) out('\n== Issue 4: tele-files ==\n');

await section('routing decisions per second', async () => {
  const r = await measureRouting({ rounds: 7, msPerRound: 300 });
  out(`Routing decisions per second: core route() on the 15-site region (test/core/fixtures/region.ts), a month's rota of ${r.rosterEntries} entries,`);
  out(`${r.cases} seeded studies (CT/MR/radiographs/ultrasound, 3 % unknown senders) at instants across Mon 30/03 – Mon 06/04/2026 (weeknights, weekend, Easter Monday);`);
  out(`per second of this process's CPU time, median of ${r.rounds} interleaved rounds`);
  out(`  route():                         ${thousands(r.routePerSecond).padStart(9)} decisions/s   (${fmt(1e6 / r.routePerSecond, 1)} µs each)`);
  out(`  baseline pdsPeriodAt() alone:    ${thousands(r.pdsPerSecond).padStart(9)} calls/s       (${fmt(1e6 / r.pdsPerSecond, 1)} µs each): the calendar lookup every decision starts with`);
  out(`  ratio route / pdsPeriodAt: ${fmt(r.ratio, 2)} (a decision costs ${fmt(1 / r.ratio, 2)} × the calendar lookup alone: it adds the site match, coverage, roster and the FR + EN explanation)`);
  out(`  for scale, a Map lookup "router" (AE + family → target; no calendar, no roster, no text): ${thousands(r.lookupPerSecond)}/s`);
  out(`  outcomes checked (ultrasound and unknown senders refused, pools routed with someone on call): ${Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}, 'routing');

let postgres: PostgresServer | undefined;
try {
  const pgVersion = wants('claims') || wants('live-feed') ? path.basename(path.dirname(findPostgresBinDir())) : '';
  await section('claim latency under 50 concurrent claimers', async () => {
    postgres = await startPostgres();
    const claimers = 50;
    const pg = await measureClaims({ databaseUrl: await postgres.createDatabase(), files: 500, contendedFiles: 100, claimers });
    const lite = await measureClaims({ files: 500, contendedFiles: 0, claimers });
    out(`Claim latency, ${claimers} concurrent claimers: POST /api/tele-files/:id/claim on the real Fastify app on loopback, one keep-alive connection and session per reader,`);
    out(`500 routed tele-files, each reader claims a random file still open on their list (a win or a 409 takes it off every list); baseline GET /api/session, same readers and connections`);
    const phase = (label: string, p: ClaimPhase) => {
      out(`    ${label}: ${spread(p.claim)} — ${p.claim.count} requests: ${p.won} won, ${p.conflicts} × 409, ${fmt(p.seconds, 1)} s`);
      out(`      exactly once: ${p.failure ? `NO — ${p.failure}` : p.checks.join('; ')}`);
      if (p.failure) throw new Error(`${label}: ${p.failure}`);
    };
    for (const [name, f] of [[`PostgreSQL ${pgVersion} (the hub's pool of 10 connections)`, pg], ['PGlite (embedded default)', lite]] as const) {
      out(`  ${name}`);
      out(`    baseline GET /api/session: ${spread(f.session)} (${f.session.count} requests)`);
      phase('claim', f.random);
      out(`    ratio claim / session: p50 ${fmt(f.random.claim.p50 / f.session.p50, 2)}, p99 ${fmt(f.random.claim.p99 / f.session.p99, 2)}`);
      if (f.topOfList) phase(`contended, ${f.topOfList.files} more files, each reader takes one of the 10 oldest open`, f.topOfList);
    }
    out(`  ratio PGlite / PostgreSQL, claim p50: ${fmt(lite.random.claim.p50 / pg.random.claim.p50, 2)}, p99: ${fmt(lite.random.claim.p99 / pg.random.claim.p99, 2)}`);
  }, 'claims');

  await section('worklist change → SSE delivery to 200 clients', async () => {
    if (!postgres) postgres = await startPostgres();
    const f = await measureLiveFeed({ postgres, clients: 200, changes: 50 });
    out(`Worklist change → SSE delivery: hub process (npm start) on PostgreSQL ${pgVersion}, ${f.clients} readers on call each with a GET /api/worklist/events stream (node:http),`);
    out(`${f.changes} new routed tele-files committed one at a time, 250–350 ms apart; latency = event received − ingest COMMIT returned`);
    out(`  delivery to each client: ${spread(f.delivery)}   (${f.received} of ${f.expected} events received, each client got each change exactly once)`);
    out(`  until the last of the ${f.clients} clients had it: ${spread(f.lastClient)}`);
    out(`  baseline live-feed poll interval ${LIVE_FEED_POLL_MS} ms: ratio p99 / poll interval ${fmt(f.delivery.p99 / LIVE_FEED_POLL_MS, 2)} (p50 / poll interval ${fmt(f.delivery.p50 / LIVE_FEED_POLL_MS, 2)}; a change waits ${LIVE_FEED_POLL_MS / 2} ms for the next poll on average)`);
    out(`  baseline plain HTTP round trip (GET /api/health, keep-alive, same hub): p50 ${ms(f.roundTrip.p50)}, p99 ${ms(f.roundTrip.p99)}; ratio delivery p50 / round trip p50 ${fmt(f.delivery.p50 / f.roundTrip.p50, 0)}`);
    out(`  opening the ${f.clients} streams took ${fmt(f.connectSeconds, 1)} s`);
  }, 'live-feed');
} finally {
  await postgres?.stop();
}

await section('ingest delay against the PACS stability delay', async () => {
  const f = await measureIngestDelay({ seeds: [11, 12, 13] });
  out(`Ingest delay, last instance stored (storescu returned) → tele-file routed: real Orthanc (StableAge ${f.stableAgeMs / 1000} s), hub process (npm start) on its change feed every ${f.pacsPoll}`);
  for (const run of f.runs) {
    out(`  ${run.study} (${run.instances} instance${run.instances > 1 ? 's' : ''}): routed at +${ms(run.routedMs)} (seen by the 50-ms worklist poll at +${ms(run.seenMs)}); delay − StableAge ${ms(run.routedMs - f.stableAgeMs)}; Orthanc showed it stable at +${ms(run.stableMs)}, hub after that ${ms(run.routedMs - run.stableMs)}`);
  }
  const routed = medianOf(f.runs.map((r) => r.routedMs));
  const stable = medianOf(f.runs.map((r) => r.stableMs));
  const hubPart = medianOf(f.runs.map((r) => r.routedMs - r.stableMs));
  out(`  median delay ${ms(routed)}; baseline Orthanc StableAge ${ms(f.stableAgeMs)}: ratio delay / StableAge ${fmt(routed / f.stableAgeMs, 2)}, delay − StableAge ${ms(routed - f.stableAgeMs)}`);
  out(`  of which Orthanc (stable event at median +${ms(stable)}, ${ms(stable - f.stableAgeMs)} after its StableAge) and the hub (median ${ms(hubPart)} from Orthanc's stable event to the tele-file routed)`);
}, 'ingest');

if (wants('viewer')) out('\n== Issue 5: viewer ==\n');

await section('viewer over a home connection', async () => {
  const f = await measureViewer({ log: out });
  for (const line of viewerReport(f)) out(line);
}, 'viewer');

if (wants('reporting')) out('\n== Issue 6: reports and delivery ==\n');

await section('report documents, sign → delivered, outbox backlog', async () => {
  const f = await measureReporting({ log: out });
  for (const line of generationReport(f.generation)) out(line);
  out();
  for (const line of deliveryReport(f.delivery)) out(line);
}, 'reporting');

if (failed.length > 0) {
  out(`BENCH FAILED: ${failed.join('; ')}`);
  process.exit(1);
}
// Child processes are stopped above; end now rather than wait on idle sockets.
process.exit(0);
