// Issue 6, delivery: sign → verified arrival at the requesting site's PACS, and
// the outbox's throughput when a site's PACS comes back with a backlog.
//
// Real pieces only: PostgreSQL, a pivot Orthanc (the hub's PACS), a site
// Orthanc (the requesting site's DICOMweb archive, set as the site's delivery
// endpoint through PUT /api/admin/organisation) and the hub as a process
// (hub/main.ts under tsx, demo accounts, VIGIE_DATABASE_URL): the outbox's own
// worker, its 2-s poll and its 50-job passes. PostgreSQL rather than the
// embedded PGlite so that the bench can write the backlog of part 3 straight
// into the hub's database while the hub runs.
//
// Part 2: `reports` one-slice CT studies stored with storescu as CH Démo Nord's
// modality; each routed tele-file is claimed by the demo reader on call, its
// draft saved, then, one report at a time, signed with the password: from the
// sign call's start until GET /api/tele-files/:id/reports (polled every 50 ms)
// says 'delivered' (SR and PDF sent, then found by QIDO at the site). Baseline
// after each report: the same SR bytes in one STOW-RS straight to a third,
// identical Orthanc, then one QIDO-RS for it: the network path's floor.
//
// Part 3: the site's Orthanc is killed; `backlogReports` addenda (SR + PDF each,
// built by the hub's builders, distinct UIDs) are written into the hub's
// database as a signing would have left them after a first failed attempt
// ('retrying', next attempt in an hour). The site's Orthanc restarts, then
// every job is made due at once (their backoff ending together: the best
// case); time until the hub has delivered them all. Baseline: the same bytes
// as raw sequential STOW-RS posts to the third Orthanc.
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../../hub/db/database.js';
import { DEFAULT_BACKOFF_MS } from '../../hub/delivery/backoff.js';
import { buildEncapsulatedPdf, buildReportPdf } from '../../hub/reports/documents/reportPdf.js';
import { buildReportSr } from '../../hub/reports/documents/reportSr.js';
import { startHubProcess, type HubProcess } from '../../test/harness/hub.js';
import { startOrthanc, storeWithStorescu, type OrthancServer } from '../../test/harness/orthanc.js';
import { startPostgres, type PostgresServer } from '../../test/harness/postgres.js';
import { makeTempDir, removeTempDir } from '../../test/harness/tempDir.js';
import { eachLimited, request, signIn } from '../benchHub.js';
import { check, sleep } from '../stats.js';
import { benchCtStudy, documentInput, frenchReport, studyMetadata, studyPart10, uuidUid, type BenchStudy } from './fixtures.js';
import { spreadOf, type Spread } from './generationBench.js';

const WATCH_EVERY_MS = 50;
const READER = 'dr.lefebvre';
const SITE = 'ch-demo-nord';

export interface DeliveryFigures {
  reports: number;
  /** Sign call start → 'delivered' seen by the 50-ms poll. */
  signToDelivered: Spread;
  /** The sign call alone (re-authentication, PACS metadata, documents, transaction). */
  signCall: Spread;
  /** Sign call returned → 'delivered' seen: the outbox's part. */
  afterSign: Spread;
  /** One STOW-RS of the same SR + one QIDO-RS, straight to an identical Orthanc. */
  baseline: Spread;
  jobsPerReport: number;
  /** Instances found at the site's Orthanc at the end of part 2 (SR + PDF per report). */
  siteInstances: number;
  backlog: {
    jobs: number;
    seconds: number;
    jobsPerSecond: number;
    /** Pauses of ≥ 1 s between two deliveries (the worker's poll between passes), and their total. */
    pauses: number;
    pausedSeconds: number;
    /** Delivery rate inside passes only (the total minus the pauses). */
    busyJobsPerSecond: number;
    baselineSeconds: number;
    baselinePerSecond: number;
    /** Median bytes per document posted. */
    bytesPerDocument: number;
  };
  backoffMs: readonly number[];
}

interface WorklistItem {
  id: string;
  studyInstanceUid: string | null;
  status: string;
  patient: { patientId: string };
}

interface ReportViewLite {
  id: string;
  version: number;
  status: string;
  signer: { id: string } | null;
  documents: { srSopInstanceUid: string; pdfSopInstanceUid: string; seriesInstanceUid: string } | null;
  delivery: { state: string; lastError: string | null } | null;
}

async function stowOnce(stowUrl: string, bytes: Uint8Array): Promise<void> {
  const boundary = `bench-${randomUUID()}`;
  const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`, 'latin1'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1')]);
  const response = await fetch(stowUrl, { method: 'POST', headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' }, body });
  const text = await response.text();
  check(response.ok, `baseline STOW-RS answered ${response.status}: ${text.slice(0, 200)}`);
  const answer = JSON.parse(text) as Record<string, { Value?: unknown[] } | undefined>;
  check((answer['00081198']?.Value ?? []).length === 0, `baseline STOW-RS listed a failed instance: ${text.slice(0, 300)}`);
}

async function qidoHas(dicomWebUrl: string, studyUid: string, sopUid: string): Promise<boolean> {
  const response = await fetch(`${dicomWebUrl}/studies/${studyUid}/instances?SOPInstanceUID=${sopUid}`, { headers: { Accept: 'application/dicom+json' } });
  const text = await response.text();
  return response.ok && text.includes(sopUid);
}

async function countInstances(orthanc: OrthancServer): Promise<number> {
  const stats = (await (await fetch(`${orthanc.httpUrl}/statistics`)).json()) as { CountInstances: number };
  return stats.CountInstances;
}

export async function measureDelivery(options: { reports: number; backlogReports: number; log?: (line: string) => void }): Promise<DeliveryFigures> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const dir = await makeTempDir('bench-reporting');
  let postgres: PostgresServer | undefined;
  let pivot: OrthancServer | undefined;
  let site: OrthancServer | undefined;
  let floor: OrthancServer | undefined;
  let hub: HubProcess | undefined;
  let database: Database | undefined;
  try {
    const runTag = Date.now().toString(36).slice(-4).toUpperCase();
    const studies = Array.from({ length: options.reports }, (_, i) => benchCtStudy(i + 1, runTag));
    const files = await Promise.all(
      studies.map(async (study) => {
        const file = path.join(dir, `ct-${study.index}.dcm`);
        await writeFile(file, studyPart10(study));
        return file;
      }),
    );
    [postgres, pivot, site, floor] = await Promise.all([startPostgres(), startOrthanc({ name: 'bench-pivot', stableAgeSeconds: 1 }), startOrthanc({ name: 'bench-site-nord' }), startOrthanc({ name: 'bench-floor' })]);
    const databaseUrl = await postgres.createDatabase();
    hub = await startHubProcess({
      withoutWebBuild: true,
      env: { VIGIE_DATABASE_URL: databaseUrl, VIGIE_PACS_URL: pivot.dicomWebUrl, VIGIE_PACS_POLL: '250ms', VIGIE_SECOND_FACTOR_ROLES: '', VIGIE_LOGIN_RATE_PER_MINUTE: '100000', VIGIE_LOG_LEVEL: process.env.VIGIE_BENCH_HUB_LOG ?? 'warn' },
    });
    const hubUrl = hub.url;
    const admin = (await hub.demoAccounts()).find((a) => a.roles.includes('admin'));
    check(admin !== undefined, 'no demo admin');
    const adminCookie = await signIn(hubUrl, admin.username, admin.password);
    const reader = await hub.account(READER);
    const cookie = await signIn(hubUrl, reader.username, reader.password);

    // The north site delivers to the site Orthanc over DICOMweb (the admin API, as an admin would).
    const stowUrl = `${site.dicomWebUrl}/studies`;
    const current = await request(`${hubUrl}/api/admin/organisation`, { headers: { cookie: adminCookie } });
    check(current.status === 200, `GET /api/admin/organisation answered ${current.status}`);
    const organisation = JSON.parse(current.body) as { sites: Array<{ id: string; delivery?: unknown }> };
    const north = organisation.sites.find((s) => s.id === SITE);
    check(north !== undefined, `no site ${SITE} in the demo organisation`);
    north.delivery = { kind: 'dicomweb', stowUrl };
    const saved = await request(`${hubUrl}/api/admin/organisation`, { method: 'PUT', headers: { cookie: adminCookie }, body: JSON.stringify(organisation) });
    check(saved.status === 200, `PUT /api/admin/organisation answered ${saved.status}: ${saved.body.slice(0, 300)}`);

    // The studies arrive at the pivot as from the site's modality, and become routed tele-files.
    await storeWithStorescu(pivot, files, { callingAet: 'DEMO_NORD', timeoutMs: 120_000 });
    const byStudy = new Map(studies.map((s) => [s.studyInstanceUid, s]));
    const teleFiles = new Map<string, { id: string; study: BenchStudy }>();
    const routedBy = performance.now() + 60_000;
    while (teleFiles.size < studies.length && performance.now() < routedBy) {
      const answer = await request(`${hubUrl}/api/worklist`, { headers: { cookie } });
      check(answer.status === 200, `GET /api/worklist answered ${answer.status}`);
      for (const item of (JSON.parse(answer.body) as { items: WorklistItem[] }).items) {
        const study = item.studyInstanceUid ? byStudy.get(item.studyInstanceUid) : undefined;
        if (study && item.status === 'routed') teleFiles.set(study.studyInstanceUid, { id: item.id, study });
      }
      if (teleFiles.size < studies.length) await sleep(250);
    }
    check(teleFiles.size === studies.length, `only ${teleFiles.size} of ${studies.length} studies became routed tele-files within 60 s`);
    log(`  (${studies.length} tele-files routed ${((performance.now() - started) / 1000).toFixed(1)} s after the start)`);

    // Claim and write each draft (not timed): the reader has them open, ready to sign.
    const drafts = await eachLimited([...teleFiles.values()], 4, async ({ id, study }) => {
      const claim = await request(`${hubUrl}/api/tele-files/${id}/claim`, { method: 'POST', headers: { cookie } });
      check(claim.status === 200, `claim answered ${claim.status}: ${claim.body.slice(0, 200)}`);
      const { content, critical } = frenchReport(study.index);
      const at = new Date().toISOString();
      const body = { content, critical: critical ? { flagged: true, communication: { to: 'Dr Martin, urgentiste de garde', means: 'phone', at } } : { flagged: false, communication: { to: '', means: null, at: null } }, templateId: null, baseVersion: 0, clientId: `bench-${study.index}-tab` };
      const draft = await request(`${hubUrl}/api/tele-files/${id}/report/draft`, { method: 'PUT', headers: { cookie }, body: JSON.stringify(body) });
      check(draft.status === 200, `draft save answered ${draft.status}: ${draft.body.slice(0, 200)}`);
      return { teleFileId: id, study, report: JSON.parse(draft.body) as ReportViewLite };
    });

    database = await openDatabase({ databaseUrl, dataDir: dir });
    const db = database.db;
    const signToDelivered: number[] = [];
    const signCall: number[] = [];
    const afterSign: number[] = [];
    const baseline: number[] = [];
    const signed: Array<{ teleFileId: string; study: BenchStudy; reportId: string; signerId: string }> = [];
    for (const draft of drafts) {
      const t0 = performance.now();
      const sign = await request(`${hubUrl}/api/reports/${draft.report.id}/sign`, {
        method: 'POST',
        headers: { cookie },
        body: JSON.stringify({ password: reader.password, version: draft.report.version, confirmedPatientId: draft.study.patientId, confirmedSiteId: SITE }),
      });
      const t1 = performance.now();
      check(sign.status === 200, `sign answered ${sign.status}: ${sign.body.slice(0, 300)}`);
      const view = JSON.parse(sign.body) as ReportViewLite;
      let state = view.delivery?.state ?? 'none';
      let lastError: string | null = null;
      while (state !== 'delivered' && performance.now() < t0 + 60_000) {
        await sleep(WATCH_EVERY_MS);
        const list = await request(`${hubUrl}/api/tele-files/${draft.teleFileId}/reports`, { headers: { cookie } });
        check(list.status === 200, `GET reports answered ${list.status}`);
        const report = (JSON.parse(list.body) as { reports: ReportViewLite[] }).reports[0];
        state = report?.delivery?.state ?? 'none';
        lastError = report?.delivery?.lastError ?? null;
      }
      const t2 = performance.now();
      check(state === 'delivered', `report ${draft.study.index} not delivered within 60 s (state ${state}${lastError ? `: ${lastError}` : ''})\n${hub.process.logTail().slice(-3000)}`);
      signToDelivered.push(t2 - t0);
      signCall.push(t1 - t0);
      afterSign.push(t2 - t1);
      signed.push({ teleFileId: draft.teleFileId, study: draft.study, reportId: view.id, signerId: view.signer?.id ?? '' });

      // Baseline: the very SR bytes the hub stored, straight to an identical Orthanc, then found by QIDO.
      const sr = await db.selectFrom('report_documents').select(['bytes', 'sop_instance_uid']).where('report_id', '=', view.id).where('kind', '=', 'sr').executeTakeFirstOrThrow();
      const b0 = performance.now();
      await stowOnce(`${floor.dicomWebUrl}/studies`, new Uint8Array(sr.bytes));
      const found = await qidoHas(floor.dicomWebUrl, draft.study.studyInstanceUid, sr.sop_instance_uid ?? '');
      baseline.push(performance.now() - b0);
      check(found, 'the baseline QIDO-RS did not find the SR just stored');
    }
    const jobs = await db.selectFrom('delivery_jobs').select(['report_id', 'document_kind', 'state']).execute();
    check(jobs.length > 0 && jobs.every((j) => j.state === 'delivered'), 'a part-2 delivery job is not delivered');
    const siteInstances = await countInstances(site);
    check(siteInstances === jobs.length, `the site's Orthanc holds ${siteInstances} instances for ${jobs.length} delivered jobs`);

    // Part 3: the site goes away; a backlog of addenda waits in the outbox.
    await site.kill();
    log(`  (part 2 done at ${((performance.now() - started) / 1000).toFixed(1)} s; site Orthanc killed, building ${options.backlogReports} addenda)`);
    const perTeleFile = Math.ceil(options.backlogReports / signed.length);
    const endpoint = JSON.stringify({ kind: 'dicomweb', stowUrl });
    const later = new Date(Date.now() + 3_600_000);
    const previous = new Map(signed.map((s) => [s.teleFileId, s.reportId]));
    const posted: Uint8Array[] = [];
    let made = 0;
    for (let level = 0; level < perTeleFile && made < options.backlogReports; level++) {
      const rows: Array<{ report: Record<string, unknown>; documents: Array<{ kind: 'sr' | 'pdf'; uid: string; bytes: Uint8Array }> }> = [];
      for (const s of signed) {
        if (made >= options.backlogReports) break;
        made++;
        const input = documentInput(s.study, studyMetadata(s.study), 1000 + made);
        input.report.kind = 'addendum';
        input.report.content = { indication: '', technique: '', findings: `Relecture (addendum ${level + 1}) : ${input.report.content.findings}`, conclusion: input.report.content.conclusion };
        input.predecessor = { srSopInstanceUid: uuidUid(), seriesInstanceUid: uuidUid(), signedAt: new Date(Date.now() - 60_000) };
        input.instanceNumber = level + 2;
        const sr = buildReportSr(input);
        const pdf = await buildEncapsulatedPdf(input, await buildReportPdf(input));
        const id = randomUUID();
        rows.push({
          report: {
            id,
            tele_file_id: s.teleFileId,
            kind: 'addendum',
            predecessor_id: previous.get(s.teleFileId),
            status: 'signed',
            content: JSON.stringify(input.report.content),
            critical: JSON.stringify(input.report.critical),
            version: 1,
            created_by: s.signerId,
            updated_by: s.signerId,
            signed_at: input.report.signedAt,
            signed_by: s.signerId,
            signer_name: input.report.signer.displayName,
            series_instance_uid: input.uids.seriesInstanceUid,
            sr_sop_instance_uid: input.uids.srSopInstanceUid,
            pdf_sop_instance_uid: input.uids.pdfSopInstanceUid,
          },
          documents: [
            { kind: 'sr', uid: input.uids.srSopInstanceUid, bytes: sr },
            { kind: 'pdf', uid: input.uids.pdfSopInstanceUid, bytes: pdf },
          ],
        });
        previous.set(s.teleFileId, id);
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('reports').values(rows.map((r) => r.report) as never).execute();
        await trx
          .insertInto('report_documents')
          .values(rows.flatMap((r) => r.documents.map((d) => ({ report_id: r.report.id as string, kind: d.kind, sop_instance_uid: d.uid, media_type: 'application/dicom', bytes: Buffer.from(d.bytes) }))))
          .execute();
        await trx
          .insertInto('delivery_jobs')
          .values(
            rows.flatMap((r) =>
              r.documents.map((d) => ({ report_id: r.report.id as string, document_kind: d.kind, tele_file_id: r.report.tele_file_id as string, site_id: SITE, endpoint, state: 'retrying' as const, attempts: 1, next_attempt_at: later, last_error: `The site's PACS does not answer (connection refused).` })),
            ) as never,
          )
          .execute();
      });
      posted.push(...rows.flatMap((r) => r.documents.map((d) => d.bytes)));
    }
    const backlogJobs = posted.length;

    await site.restart();
    const due = await sql`update delivery_jobs set next_attempt_at = now() where state = 'retrying'`.execute(db);
    const t0 = performance.now();
    const t0Wall = Date.now();
    check(Number(due.numAffectedRows ?? 0) === backlogJobs, `${String(due.numAffectedRows)} jobs made due, expected ${backlogJobs}`);
    log(`  (site Orthanc back; ${backlogJobs} jobs due)`);
    let left = backlogJobs;
    const deadline = t0 + 240_000;
    while (left > 0 && performance.now() < deadline) {
      await sleep(100);
      const row = await db.selectFrom('delivery_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('state', '!=', 'delivered').executeTakeFirstOrThrow();
      left = Number(row.n);
    }
    const seconds = (performance.now() - t0) / 1000;
    const problems = await db.selectFrom('delivery_jobs').select(['state', 'last_error']).where('state', '!=', 'delivered').limit(3).execute();
    check(left === 0, `${left} of ${backlogJobs} backlog jobs not delivered after ${seconds.toFixed(0)} s (${problems.map((p) => `${p.state}: ${p.last_error ?? ''}`).join('; ')})`);
    const atSite = await countInstances(site);
    check(atSite === jobs.length + backlogJobs, `the site's Orthanc holds ${atSite} instances, expected ${jobs.length + backlogJobs}`);
    const deliveredAt = (await db.selectFrom('delivery_jobs').select('delivered_at').where('delivered_at', '>=', new Date(t0Wall - 1000)).execute()).map((r) => new Date(r.delivered_at as Date).getTime()).sort((a, b) => a - b);
    let pauses = 0;
    let paused = 0;
    let previousAt = t0Wall;
    for (const at of deliveredAt) {
      if (at - previousAt >= 1000) {
        pauses++;
        paused += at - previousAt;
      }
      previousAt = at;
    }

    // Baseline: the same bytes, raw STOW-RS posts one after the other (the outbox sends one job at a time).
    const b0 = performance.now();
    for (const bytes of posted) await stowOnce(`${floor.dicomWebUrl}/studies`, bytes);
    const baselineSeconds = (performance.now() - b0) / 1000;
    const sizes = posted.map((b) => b.length).sort((a, b) => a - b);

    return {
      reports: options.reports,
      signToDelivered: spreadOf(signToDelivered),
      signCall: spreadOf(signCall),
      afterSign: spreadOf(afterSign),
      baseline: spreadOf(baseline),
      jobsPerReport: jobs.length / options.reports,
      siteInstances,
      backlog: {
        jobs: backlogJobs,
        seconds,
        jobsPerSecond: backlogJobs / seconds,
        pauses,
        pausedSeconds: paused / 1000,
        busyJobsPerSecond: backlogJobs / Math.max(0.001, seconds - paused / 1000),
        baselineSeconds,
        baselinePerSecond: backlogJobs / baselineSeconds,
        bytesPerDocument: sizes[Math.floor(sizes.length / 2)] ?? 0,
      },
      backoffMs: DEFAULT_BACKOFF_MS,
    };
  } finally {
    await database?.close().catch(() => undefined);
    await hub?.dispose().catch(() => undefined);
    await Promise.all([pivot?.stop(), site?.stop(), floor?.stop()].map((p) => p?.catch(() => undefined)));
    await postgres?.stop().catch(() => undefined);
    await removeTempDir(dir);
  }
}
