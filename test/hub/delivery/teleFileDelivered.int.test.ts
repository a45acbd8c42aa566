/** The tele-file becomes "delivered" when every document of its report is verified at the site, and not before. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markTeleFileDelivered, sweepDeliveredTeleFiles } from '../../../hub/delivery/markTeleFileDelivered.js';
import { DATABASE_KINDS, startTestHub, type TestHub } from '../testHub.js';
import { enqueue, jobsOf, seedSignedReport } from './deliveryFixtures.js';

describe.each(DATABASE_KINDS)('tele-file delivered (%s)', (kind) => {
  let hub: TestHub;
  let userId = '';

  beforeAll(async () => {
    hub = await startTestHub(kind);
    userId = (await hub.createUser('dr.livraison', ['radiologist'])).id;
  });
  afterAll(async () => {
    await hub?.close();
  });

  it('waits for every job, then moves signed → delivered once, as the outbox', async () => {
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr', 'pdf']);
    const db = hub.database.db;
    const [first] = await jobsOf(hub, report.reportId);
    await db.updateTable('delivery_jobs').set({ state: 'delivered', delivered_at: new Date() }).where('id', '=', first!.id).execute();
    expect(await markTeleFileDelivered(db, hub.services.teleFiles, report.reportId)).toBe(false);
    expect((await hub.services.teleFiles.byId(report.teleFileId))?.status).toBe('signed');

    await db.updateTable('delivery_jobs').set({ state: 'delivered', delivered_at: new Date() }).where('report_id', '=', report.reportId).execute();
    expect(await markTeleFileDelivered(db, hub.services.teleFiles, report.reportId)).toBe(true);
    expect((await hub.services.teleFiles.byId(report.teleFileId))?.status).toBe('delivered');
    const events = await db.selectFrom('tele_file_events').select(['event', 'actor']).where('tele_file_id', '=', report.teleFileId).execute();
    expect(events.filter((e) => e.event === 'deliver')).toHaveLength(1);
    // Called again (another document, another hub): nothing more happens.
    expect(await markTeleFileDelivered(db, hub.services.teleFiles, report.reportId)).toBe(false);
  });

  it('catches up, in the periodic sweep, a report delivered while the tele-file was not moved', async () => {
    const report = await seedSignedReport(hub, userId);
    await enqueue(hub, report, ['sr']);
    const db = hub.database.db;
    expect(await sweepDeliveredTeleFiles(db, hub.services.teleFiles)).toBe(0);
    await db.updateTable('delivery_jobs').set({ state: 'delivered', delivered_at: new Date() }).where('report_id', '=', report.reportId).execute();
    expect(await sweepDeliveredTeleFiles(db, hub.services.teleFiles)).toBe(1);
    expect((await hub.services.teleFiles.byId(report.teleFileId))?.status).toBe('delivered');
    expect(await sweepDeliveredTeleFiles(db, hub.services.teleFiles)).toBe(0);
  });
});
