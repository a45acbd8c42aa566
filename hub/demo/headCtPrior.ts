import { ctSliceDataset } from './ctSlice.js';
import { DEMO_PATIENTS } from './demoPatients.js';
import { addMinutes } from './dicomValues.js';
import { brainSeries, COVERAGE_MM, renderHeadSlice } from './headCt.js';
import type { DemoStudyPlan } from './plan.js';
import { SeededRandom } from './seededRandom.js';
import { demoStudyIdentity } from './studyIdentity.js';
import { demoUid } from './uid.js';

export const HEAD_CT_PRIOR_SLICES = 32;
/** About six months before the head CT: an old exam the viewer offers for comparison. */
export const HEAD_CT_PRIOR_DAYS_BEFORE = 182;

/**
 * A prior head CT of the head CT's patient (same PatientID, issuer and
 * site), dated about six months earlier, without the haematoma: the demo of
 * priors (issue 5). Ingest keeps it as a prior, not a new exam to read
 * (docs/decisions.md). Its slice count is fixed, so its UIDs never depend on
 * the head CT's.
 */
export function planHeadCtPrior(seed: number, index: number): DemoStudyPlan {
  const studyRole = `study/${index}/head-ct-prior-${HEAD_CT_PRIOR_SLICES}`;
  const night = demoStudyIdentity(seed, index, DEMO_PATIENTS.headCt, 'SCANNER CEREBRAL SANS INJECTION', 'CT', studyRole);
  // Mid-afternoon, months before the night of the other studies: a routine follow-up.
  const identity = { ...night, start: addMinutes(night.start, -HEAD_CT_PRIOR_DAYS_BEFORE * 24 * 60 - 7 * 60), studyId: String(index + 1) };
  const role = `${studyRole}/series/1`;
  const sliceCount = HEAD_CT_PRIOR_SLICES;
  const { series, geometry } = brainSeries(seed, role, sliceCount, addMinutes(identity.start, 3));
  const instances = Array.from({ length: sliceCount }, (_, i) => {
    const sopInstanceUid = demoUid(seed, `${role}/instance/${i}`);
    return {
      sopInstanceUid,
      build: () => {
        const z = (i * COVERAGE_MM) / sliceCount;
        const stored = renderHeadSlice(z, false).toStoredCt(new SeededRandom(seed, `${role}/noise/${i}`), 4, 25);
        return ctSliceDataset(identity, series, geometry, { sopInstanceUid, instanceNumber: i + 1, z, stored });
      },
    };
  });
  return { identity, series: [{ seriesInstanceUid: series.seriesInstanceUid, instances }] };
}
