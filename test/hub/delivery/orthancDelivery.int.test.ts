/**
 * Delivery to a real site PACS (Orthanc from the harness), on PGlite: exactly
 * one copy by DICOMweb and by DIMSE, the PACS down then back, a hub killed
 * between sending and recording, a study renamed at the site.
 *
 * A second copy is seen through Orthanc's change log with OverwriteInstances
 * on: each store of an instance, even of the same SOP Instance UID, replaces
 * it and gives its NewInstance change a new sequence number (without it
 * Orthanc silently keeps the first copy and a second send would go
 * unnoticed). "Exactly one copy" = present, and its arrival number unchanged
 * by later passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../hub/logging/logger.js';
import { DeliveryOutbox } from '../../../hub/delivery/deliveryOutbox.js';
import { orthancGetJson, startOrthanc, uploadInstance, type OrthancServer } from '../../harness/orthanc.js';
import { startTestHub, type TestHub } from '../testHub.js';
import { auditCount, basicTextSr, configureSite, enqueue, jobsOf, seedSignedReport, uid, type SeededReport } from './deliveryFixtures.js';

describe('delivery to a site PACS (Orthanc, pglite)', () => {
  let hub: TestHub;
  let site: OrthancServer;
  let userId: string;
  let clock = Date.now();
  let outbox: DeliveryOutbox;

  beforeAll(async () => {
    [hub, site] = await Promise.all([
      startTestHub('pglite'),
      startOrthanc({
        name: 'site-nord',
        aet: 'SITE_NORD',
        // The hub's AE must be known to the site PACS for C-FIND (Orthanc ≥ 1.9 refuses C-FIND from unknown AEs).
        dicomModalities: { vigie: { aet: 'VIGIE', port: 104 } },
        extraConfig: { OverwriteInstances: true, DicomAlwaysAllowFind: true },
      }),
    ]);
    userId = (await hub.createUser('radiologist', ['radiologist'])).id;
    outbox = new DeliveryOutbox({ db: hub.database.db, organisation: hub.services.organisation, audit: hub.services.audit, logger: createLogger('silent'), dataDir: hub.config.dataDir, now: () => new Date(clock), callingAeTitle: 'VIGIE' });
  });
  afterAll(async () => {
    await Promise.all([hub?.close(), site?.stop()]);
  });

  const dicomWeb = () => configureSite(hub, { kind: 'dicomweb', stowUrl: `${site.dicomWebUrl}/studies` });
  const dimse = () => configureSite(hub, { kind: 'dimse', calledAeTitle: site.aet, host: '127.0.0.1', port: site.dicomPort });

  /** The change-log number of the instance's last arrival at the site (null: not there); every new copy changes it. */
  async function arrival(sopInstanceUid: string): Promise<number | null> {
    const found = await fetch(`${site.httpUrl}/tools/lookup`, { method: 'POST', body: sopInstanceUid }).then((r) => r.json() as Promise<Array<{ ID: string; Type: string }>>);
    const instance = found.find((f) => f.Type === 'Instance');
    if (!instance) return null;
    const changes = await orthancGetJson<{ Changes: Array<{ ChangeType: string; ID: string; Seq: number }> }>(site, '/changes?limit=10000');
    const arrivals = changes.Changes.filter((c) => c.ChangeType === 'NewInstance' && c.ID === instance.ID);
    expect(arrivals).toHaveLength(1);
    return arrivals[0]?.Seq ?? null;
  }

  async function pass(advanceMs = 1_000): Promise<void> {
    clock = Math.max(clock, Date.now()) + advanceMs;
    await outbox.runOnce();
  }

  /** Delivered, verified, at the site, and later passes bring no second copy. */
  async function expectDeliveredOnce(report: SeededReport): Promise<void> {
    expect((await jobsOf(hub, report.reportId)).map((j) => [j.document_kind, j.state])).toEqual([['pdf', 'delivered'], ['sr', 'delivered']]);
    const first = [await arrival(report.sr.sopInstanceUid), await arrival(report.pdf.sopInstanceUid)];
    expect(first).not.toContain(null);
    await pass(60_000);
    await pass(15 * 60_000);
    expect([await arrival(report.sr.sopInstanceUid), await arrival(report.pdf.sopInstanceUid)]).toEqual(first);
    expect(await auditCount(hub, 'delivery.delivered', report.reportId)).toBe(2);
  }

  it('a second store of the same instance changes its arrival number (the measure works)', async () => {
    const doc = basicTextSr({ patientId: 'X1', issuer: 'I', studyInstanceUid: uid() });
    await uploadInstance(site, doc.bytes);
    const first = await arrival(doc.sopInstanceUid);
    await uploadInstance(site, doc.bytes);
    expect(await arrival(doc.sopInstanceUid)).toBeGreaterThan(first as number);
  });

  it('DICOMweb: STOW, verified by QIDO, exactly one copy however often the worker passes', async () => {
    await dicomWeb();
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report);
    await pass();
    await expectDeliveredOnce(report);
    expect(await auditCount(hub, 'delivery.sent', report.reportId)).toBe(2);
    const status = (await hub.services.delivery.statusOf([report.reportId])).get(report.reportId);
    expect(status).toMatchObject({ state: 'delivered', lastError: null });
  });

  it('DIMSE: C-STORE, verified by C-FIND, exactly one copy', async () => {
    await dimse();
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report);
    await pass();
    await expectDeliveredOnce(report);
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.verified_at).not.toBeNull();
  });

  it('the site PACS down: retrying with the reason; back up: exactly one copy', async () => {
    await dicomWeb();
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    await site.kill();
    try {
      await pass();
      const [job] = await jobsOf(hub, report.reportId);
      expect(job?.state).toBe('retrying');
      expect(job?.last_error).toBe(`The site's PACS does not answer (connection refused at 127.0.0.1:${site.httpPort}).`);
      expect((await hub.services.delivery.statusOf([report.reportId])).get(report.reportId)).toMatchObject({ state: 'retrying', attempts: 1 });
    } finally {
      await site.restart();
    }
    await pass(5_000);
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('delivered');
    expect(job?.attempts).toBe(2);
    const arrived = await arrival(report.sr.sopInstanceUid);
    expect(arrived).not.toBeNull();
    await pass(60_000);
    expect(await arrival(report.sr.sopInstanceUid)).toBe(arrived);
  });

  it('DIMSE PACS down: the DIMSE error names the address too', async () => {
    await dimse();
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    await site.kill();
    try {
      await pass();
      const [job] = await jobsOf(hub, report.reportId);
      expect(job?.state).toBe('retrying');
      expect(job?.last_error).toContain(`127.0.0.1:${site.dicomPort}`);
    } finally {
      await site.restart();
    }
    await pass(5_000);
    expect((await jobsOf(hub, report.reportId))[0]?.state).toBe('delivered');
    expect(await arrival(report.sr.sopInstanceUid)).not.toBeNull();
  });

  it('a hub killed after sending, before recording: the next pass finds it at the site and sends nothing', async () => {
    await dicomWeb();
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    // What the killed hub did: claimed the job (lease now long gone) and sent the bytes.
    await hub.database.db.updateTable('delivery_jobs').set({ state: 'sending', attempts: 1, lease_until: new Date(Date.now() - 1_000) }).where('report_id', '=', report.reportId).execute();
    await uploadInstance(site, report.sr.bytes);
    const sent = await arrival(report.sr.sopInstanceUid);
    await pass();
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('delivered');
    expect(await arrival(report.sr.sopInstanceUid)).toBe(sent);
    expect(await auditCount(hub, 'delivery.sent', report.reportId)).toBe(0);
    expect(await auditCount(hub, 'delivery.delivered', report.reportId)).toBe(1);
  });

  it('the study already at the site under another patient ID: stopped, alert, nothing sent', async () => {
    await dicomWeb();
    const report = await seedSignedReport(hub, userId);
    // The site renamed the study's patient (its own copy of the images).
    await uploadInstance(site, basicTextSr({ patientId: 'RENAMED-AT-SITE', issuer: 'CH-DEMO-NORD', studyInstanceUid: report.studyInstanceUid }).bytes);
    await enqueue(hub, report, ['sr']);
    await pass();
    const [job] = await jobsOf(hub, report.reportId);
    expect(job?.state).toBe('stopped');
    expect(job?.stopped_reason).toContain('the patient ID of this study was changed at the site');
    expect(job?.stopped_reason).not.toContain('RENAMED-AT-SITE');
    expect(await arrival(report.sr.sopInstanceUid)).toBeNull();
    expect(await auditCount(hub, 'delivery.stopped', report.reportId)).toBe(1);
    expect((await hub.services.delivery.alerts.list({ openOnly: true })).some((a) => a.subjectId === job?.id)).toBe(true);
  });
});
