import type { DemoPatient } from './demoPatients.js';
import { addMinutes } from './dicomValues.js';
import type { DemoStudyIdentity } from './plan.js';
import { demoUid, hash128 } from './uid.js';

/**
 * Each seed is its own fictional population: seed 1 (the default) keeps
 * DEMO-0001…, another seed suffixes its patient IDs (DEMO-0001-S7), so that
 * studies of two seeds stored in one PACS (tests, benchmarks) are never taken
 * for priors of one another (ingest's prior rule: same patient, older study).
 */
export function patientOfSeed(seed: number, patient: DemoPatient): DemoPatient {
  return seed === 1 ? patient : { ...patient, id: `${patient.id}-S${seed}` };
}

/**
 * Identity of demo study number `index` (0-based). All studies of a seed fall
 * in the same on-call night (from 21:30, 47 minutes apart), on a day of 2024
 * picked by the seed: fixed dates, never the clock. `uidRole` names the study
 * in UID derivation; a variant with other content (another slice count) must
 * use another role so that no UID ever names two different objects.
 */
export function demoStudyIdentity(
  seed: number,
  index: number,
  patient: DemoPatient,
  description: string,
  modality: string,
  uidRole = `study/${index}`,
): DemoStudyIdentity {
  const dayOffset = Number(hash128(`vigie-demo-night/${seed}`) % 366n);
  const start = addMinutes({ date: '20240101', time: '213000' }, dayOffset * 24 * 60 + index * 47);
  const accessionDigits = String(hash128(`vigie-demo-accession/${seed}/${uidRole}`) % 1_000_000n).padStart(6, '0');
  return {
    patient: patientOfSeed(seed, patient),
    studyInstanceUid: demoUid(seed, uidRole),
    accessionNumber: `DEMO${accessionDigits}${String(index + 1).padStart(2, '0')}`,
    studyId: String(index + 1),
    description,
    modality,
    start,
  };
}
