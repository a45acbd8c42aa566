import { ctSliceDataset, type CtSeriesGeometry } from './ctSlice.js';
import { DEMO_PATIENTS } from './demoPatients.js';
import { addMinutes, type DicomDateTime } from './dicomValues.js';
import { HuRaster } from './huRaster.js';
import type { DemoStudyPlan, HeadCtLesionLocation } from './plan.js';
import { SeededRandom } from './seededRandom.js';
import { demoStudyIdentity } from './studyIdentity.js';
import { demoUid } from './uid.js';

export const HEAD_CT_DEFAULT_SLICES = 64;
export const HEAD_CT_MIN_SLICES = 16;
export const HEAD_CT_MAX_SLICES = 2000;

const SIZE = 512;
const SPACING = 0.5;
/** Column 256 / row 256 sit at x = 0 / y = 0, so round mm give whole pixels. */
const ORIGIN = -128;
/** The series always spans the same 160 mm; more slices means thinner ones. */
export const COVERAGE_MM = 160;

/** The skull as an ellipsoid (LPS mm); layers are offsets inwards from the skin. */
const HEAD = { cz: 60, ax: 72, ay: 92, az: 95 };
const LAYERS = { skullOuter: 5, diploe: 7, innerTable: 10, brain: 12, whiteMatter: 16 };
const HU = { air: -1000, scalp: 30, table: 1250, diploe: 750, grey: 40, white: 30, csf: 5, falx: 55, oedema: 22 };

/**
 * The acute haematoma: a sphere in the right frontal lobe (patient right is
 * −x in LPS, i.e. the left of the displayed image). On a whole pixel.
 */
export const HEAD_CT_LESION = { centreMm: [-40, -15, 90] as const, radiusMm: 12, oedemaMm: 4, hu: 72 };

export function headCtSliceZ(index: number, sliceCount: number): number {
  return (index * COVERAGE_MM) / sliceCount;
}

/**
 * Which slices cut the haematoma: those whose plane passes strictly inside
 * the sphere, so the centre pixel column (on a whole pixel) is inside it.
 */
export function headCtLesionLocation(sliceCount: number): HeadCtLesionLocation {
  const [cx, cy, cz] = HEAD_CT_LESION.centreMm;
  const r = HEAD_CT_LESION.radiusMm;
  let first = -1;
  let last = -1;
  let centre = 0;
  for (let i = 0; i < sliceCount; i++) {
    const dz = headCtSliceZ(i, sliceCount) - cz;
    if (dz * dz < r * r) {
      if (first < 0) first = i;
      last = i;
    }
    if (Math.abs(dz) < Math.abs(headCtSliceZ(centre, sliceCount) - cz)) centre = i;
  }
  return {
    firstInstanceNumber: first + 1,
    lastInstanceNumber: last + 1,
    centreInstanceNumber: centre + 1,
    centreColumn: (cx - ORIGIN) / SPACING,
    centreRow: (cy - ORIGIN) / SPACING,
    centreMm: HEAD_CT_LESION.centreMm,
    radiusMm: r,
    radiusPixels: r / SPACING,
    hu: HEAD_CT_LESION.hu,
  };
}

/** Paints one axial slice of the synthetic head, in HU (the prior has no haematoma). */
export function renderHeadSlice(z: number, withLesion = true): HuRaster {
  const img = new HuRaster(SIZE, SPACING, ORIGIN, ORIGIN, HU.air);
  const shell = (inset: number, value: number, onlyOver?: number): void =>
    img.ellipsoid(z, 0, 0, HEAD.cz, HEAD.ax - inset, HEAD.ay - inset, HEAD.az - inset, value, onlyOver);
  shell(0, HU.scalp);
  shell(LAYERS.skullOuter, HU.table);
  shell(LAYERS.diploe, HU.diploe);
  shell(LAYERS.innerTable, HU.table);
  shell(LAYERS.brain, HU.grey);
  shell(LAYERS.whiteMatter, HU.white);
  // The falx: a thin dense midline sheet across the brain's cut (the ventricles, painted next, interrupt it).
  const brainDz = (z - HEAD.cz) / (HEAD.az - LAYERS.brain);
  if (brainDz * brainDz < 1) {
    const halfLength = (HEAD.ay - LAYERS.brain) * Math.sqrt(1 - brainDz * brainDz);
    img.rect(-0.5, 0.5, -halfLength, halfLength, HU.falx);
  }
  // Lateral ventricles (CSF), either side of the midline.
  for (const side of [-1, 1]) img.ellipsoid(z, side * 10, -2, 95, 6, 26, 14, HU.csf);
  // Third ventricle, a thin midline slit lower down.
  img.ellipsoid(z, 0, 4, 75, 2, 12, 8, HU.csf);
  if (!withLesion) return img;
  const [lx, ly, lz] = HEAD_CT_LESION.centreMm;
  const { radiusMm, oedemaMm } = HEAD_CT_LESION;
  const outer = radiusMm + oedemaMm;
  img.ellipsoid(z, lx, ly, lz, outer, outer, outer, HU.oedema);
  img.ellipsoid(z, lx, ly, lz, radiusMm, radiusMm, radiusMm, HEAD_CT_LESION.hu);
  return img;
}

export const BRAIN_WINDOW: Omit<CtSeriesGeometry, 'sliceThickness' | 'frameOfReferenceUid'> = {
  size: SIZE,
  pixelSpacing: SPACING,
  originX: ORIGIN,
  originY: ORIGIN,
  bodyPart: 'HEAD',
  windowCenter: 40,
  windowWidth: 80,
  windowExplanation: 'CERVEAU',
  kernel: 'H30S',
};

/** Study 1: unenhanced head CT with an acute right frontal haematoma. */
export function planHeadCt(seed: number, index: number, sliceCount: number): DemoStudyPlan {
  if (!Number.isInteger(sliceCount) || sliceCount < HEAD_CT_MIN_SLICES || sliceCount > HEAD_CT_MAX_SLICES) {
    throw new RangeError(`headCtSlices must be an integer in [${HEAD_CT_MIN_SLICES}, ${HEAD_CT_MAX_SLICES}]`);
  }
  // The slice count is part of every UID: a 300-slice benchmark volume must not reuse the 64-slice UIDs.
  const studyRole = `study/${index}/head-ct-${sliceCount}`;
  const identity = demoStudyIdentity(seed, index, DEMO_PATIENTS.headCt, 'SCANNER CEREBRAL SANS INJECTION', 'CT', studyRole);
  const role = `${studyRole}/series/1`;
  const { series, geometry } = brainSeries(seed, role, sliceCount, addMinutes(identity.start, 4));
  const instances = Array.from({ length: sliceCount }, (_, i) => {
    const sopInstanceUid = demoUid(seed, `${role}/instance/${i}`);
    return {
      sopInstanceUid,
      build: () => {
        const z = headCtSliceZ(i, sliceCount);
        const stored = renderHeadSlice(z).toStoredCt(new SeededRandom(seed, `${role}/noise/${i}`), 4, 25);
        return ctSliceDataset(identity, series, geometry, { sopInstanceUid, instanceNumber: i + 1, z, stored });
      },
    };
  });
  return {
    identity,
    series: [{ seriesInstanceUid: series.seriesInstanceUid, instances }],
    lesion: headCtLesionLocation(sliceCount),
  };
}

/** The axial brain series of a demo head CT (current or prior): its UIDs from the role, slices spread over the coverage. */
export function brainSeries(seed: number, role: string, sliceCount: number, start: DicomDateTime) {
  const series = {
    seriesInstanceUid: demoUid(seed, role),
    seriesNumber: 2,
    description: `CERVEAU ${Number((COVERAGE_MM / sliceCount).toFixed(3))} MM`,
    start,
  };
  const geometry: CtSeriesGeometry = {
    ...BRAIN_WINDOW,
    sliceThickness: COVERAGE_MM / sliceCount,
    frameOfReferenceUid: demoUid(seed, `${role}/frame-of-reference`),
  };
  return { series, geometry };
}
