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
