import { describe, expect, it } from 'vitest';
import { findPriorOwner, PRIOR_AGE_MS } from '../../../hub/ingest/priorRule.js';
import { demoOrganisation } from '../../../hub/organisation/demoOrganisation.js';
import type { PatientStudy } from '../../../hub/pacs/pacsAdapter.js';
import { stableStudy } from '../teleFiles/teleFileFixtures.js';

const sites = demoOrganisation().sites;

function pacsStudy(overrides: Partial<PatientStudy>): PatientStudy {
  return {
    studyInstanceUid: '2.25.100',
    patientId: 'DEMO-0001',
    issuerOfPatientId: 'CH-DEMO-NORD',
    studyDate: '20241120',
    studyTime: '213000',
    studyDescription: 'SCANNER CEREBRAL',
    modalitiesInStudy: ['CT'],
    numberOfSeries: 1,
    numberOfInstances: 64,
    sourceAet: 'DEMO_NORD',
    institutionName: null,
    ...overrides,
  };
}

describe('ingest prior rule', () => {
  const old = stableStudy({ studyInstanceUid: '2.25.1', patientId: 'DEMO-0001', studyDate: '20240520', studyTime: '143000' });
  const lookup = (studies: PatientStudy[]) => async (patientId: string) => studies.filter((s) => s.patientId === patientId);

  it('keeps a study as a prior when the same patient has a study more than 48 h newer at the same site', async () => {
    const owner = await findPriorOwner(old, sites, lookup([pacsStudy({}), { ...pacsStudy({}), studyInstanceUid: old.studyInstanceUid, studyDate: old.studyDate }]));
    expect(owner).toEqual({ issuer: 'CH-DEMO-NORD', siteId: 'ch-demo-nord', newerStudyInstanceUid: '2.25.100' });
  });

  it('is relative to the newer study, not to the clock: the newest study itself and a study under 48 h older are not priors', async () => {
    const newest = stableStudy({ studyInstanceUid: '2.25.100', patientId: 'DEMO-0001', studyDate: '20241120', studyTime: '213000' });
    expect(await findPriorOwner(newest, sites, lookup([pacsStudy({}), pacsStudy({ studyInstanceUid: '2.25.1', studyDate: '20240520' })]))).toBeNull();
    const yesterday = stableStudy({ patientId: 'DEMO-0001', studyDate: '20241119', studyTime: '213001' });
    expect(await findPriorOwner(yesterday, sites, lookup([pacsStudy({})]))).toBeNull();
    expect(PRIOR_AGE_MS).toBe(48 * 3_600_000);
  });

  it('never makes a prior across patients, issuers or sites', async () => {
    expect(await findPriorOwner(old, sites, lookup([pacsStudy({ patientId: 'DEMO-0002' })]))).toBeNull();
    expect(await findPriorOwner(old, sites, lookup([pacsStudy({ issuerOfPatientId: 'CH-DEMO-SUD' })]))).toBeNull();
    expect(await findPriorOwner(old, sites, lookup([pacsStudy({ sourceAet: 'DEMO_SUD' })]))).toBeNull();
  });

  it('does not ask the PACS for a study from an unknown site or without a date', async () => {
    const asked: string[] = [];
    const spy = async (id: string) => (asked.push(id), [pacsStudy({})]);
    expect(await findPriorOwner({ ...old, sourceAet: 'NOWHERE', institutionName: null }, sites, spy)).toBeNull();
    expect(await findPriorOwner({ ...old, studyDate: '' }, sites, spy)).toBeNull();
    expect(asked).toEqual([]);
  });
});
