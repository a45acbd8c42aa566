import { randomInt } from 'node:crypto';
import type { StableStudy } from '../../../hub/pacs/pacsAdapter.js';
import { demoOrganisation, DEMO_POOL } from '../../../hub/organisation/demoOrganisation.js';
import type { TestHub } from '../testHub.js';

let counter = 0;

/** A study as the PACS adapter reports it, from the demo region's north site unless told otherwise. */
export function stableStudy(overrides: Partial<StableStudy> = {}): StableStudy {
  counter += 1;
  return {
    studyInstanceUid: `2.25.${Date.now()}${randomInt(1_000_000)}${counter}`,
    patientId: `P${counter}`,
    issuerOfPatientId: 'CH-DEMO-NORD',
    patientName: `DEMO^TEST${counter}`,
    patientSex: 'F',
    patientBirthDate: '19700101',
    studyDate: '20261122',
    studyTime: '021000',
    accessionNumber: `A${counter}`,
    studyDescription: 'CT HEAD',
    modalitiesInStudy: ['CT'],
    bodyPartExamined: 'HEAD',
    institutionName: null,
    sourceAet: 'DEMO_NORD',
    numberOfSeries: 1,
    numberOfInstances: 64,
    receivedAt: new Date(),
    requestedProcedureDescription: null,
    reasonForRequestedProcedure: null,
    reasonForStudy: null,
    additionalPatientHistory: null,
    ...overrides,
  };
}

/** The demo region, and the given readers on call in its pool now. */
export async function demoRegion(hub: TestHub, onCall: readonly string[]): Promise<void> {
  await hub.services.organisation.save(demoOrganisation(), { id: null, username: 'test' });
  const now = Date.now();
  await hub.services.roster.add(onCall.map((personId) => ({ personId, target: { kind: 'pivot-group' as const, groupId: DEMO_POOL }, from: new Date(now - 3_600_000), to: new Date(now + 86_400_000) })));
}

/** Makes `userId` a requester of the given sites (organisation site ids), as an admin would with user_sites. */
export async function joinSites(hub: TestHub, userId: string, siteIds: readonly string[]): Promise<void> {
  const db = hub.database.db;
  for (const code of siteIds) {
    await db.insertInto('sites').values({ code, name: code, kind: 'requesting' }).onConflict((oc) => oc.column('code').doNothing()).execute();
    const site = await db.selectFrom('sites').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    await db.insertInto('user_sites').values({ user_id: userId, site_id: site.id }).onConflict((oc) => oc.doNothing()).execute();
  }
}

/** A clinical request announced before the images (POST /api/tele-files), for the demo north site unless told otherwise. */
export function announcedRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestingSiteId: 'ch-demo-nord',
    accessionNumber: `RF${Date.now() % 1_000_000}${randomInt(1000)}`,
    patientId: 'IPP-1',
    patientName: 'DUPONT Jean',
    modality: 'CT',
    indication: 'Chute dans l’escalier, sous AVK',
    question: 'Hématome intracrânien ?',
    priority: 'vital',
    contactPhone: '03 22 00 00 00',
    requestedBy: 'Dr Urgences',
    ...overrides,
  };
}
