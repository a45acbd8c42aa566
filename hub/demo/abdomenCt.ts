import { ctSliceDataset, type CtSeriesGeometry } from './ctSlice.js';
import { DEMO_PATIENTS } from './demoPatients.js';
import { addMinutes } from './dicomValues.js';
import { HuRaster } from './huRaster.js';
import type { DemoStudyPlan } from './plan.js';
import { SeededRandom } from './seededRandom.js';
import { demoStudyIdentity } from './studyIdentity.js';
import { demoUid } from './uid.js';

export const ABDOMEN_CT_SLICES = 40;

const SIZE = 512;
const SPACING = 0.78125;
/** Column/row 256 at x/y = 0. */
const ORIGIN = -200;
const SLICE_MM = 5;
/** Slice i is at z = Z0 + 5i: from the lower poles of the kidneys up to the liver dome. */
const Z0 = -200;

const HU = {
  air: -1000,
  skin: 30,
  subcutaneousFat: -100,
  muscle: 50,
  visceralFat: -90,
  liver: 58,
  gallbladder: 8,
  spleen: 48,
  kidney: 32,
  sinusFat: -60,
  stomachFluid: 12,
  bowelFluid: 18,
  gas: -950,
  lung: -850,
  blood: 42,
  cortical: 650,
  cancellous: 220,
  disc: 85,
  csf: 10,
  posteriorArch: 550,
};

interface BowelLoop {
  x: number;
  y: number;
  z: number;
  r: number;
  gas: boolean;
}

/** Bowel loops in the lower abdomen: the only part of the anatomy that depends on the seed. */
function bowelLoops(seed: number): BowelLoop[] {
  const rng = new SeededRandom(seed, 'abdomen/bowel');
  return Array.from({ length: 16 }, () => ({
    x: rng.between(-95, 95),
    y: rng.between(-75, 10),
    z: rng.between(-200, -95),
    r: rng.between(11, 19),
    gas: rng.next() < 0.3,
  }));
}

/** Paints one axial slice of the synthetic abdomen, in HU. */
export function renderAbdomenSlice(z: number, loops: readonly BowelLoop[]): HuRaster {
  const img = new HuRaster(SIZE, SPACING, ORIGIN, ORIGIN, HU.air);
  // Body wall: skin, subcutaneous fat, muscle, then the visceral cavity.
  img.ellipse(0, 5, 165, 118, HU.skin);
  img.ellipse(0, 5, 163, 116, HU.subcutaneousFat);
  img.ellipse(0, 5, 150, 103, HU.muscle);
  img.ellipse(0, 0, 140, 90, HU.visceralFat);
  // Lung bases behind the liver and spleen at the top of the volume.
  for (const side of [-1, 1]) img.ellipsoid(z, side * 85, 50, 5, 48, 38, 35, HU.lung, HU.visceralFat);
  // Liver (patient right, −x) with the gallbladder under it.
  img.ellipsoid(z, -65, -5, -45, 72, 78, 75, HU.liver, HU.visceralFat);
  img.ellipsoid(z, -45, -40, -95, 14, 18, 28, HU.gallbladder, HU.liver);
  img.ellipsoid(z, -45, -40, -95, 14, 18, 28, HU.gallbladder, HU.visceralFat);
  img.ellipsoid(z, 85, 40, -55, 32, 45, 50, HU.spleen, HU.visceralFat);
  // Stomach with an air–fluid level: the patient is supine, so gas rises anteriorly (−y).
  img.ellipsoid(z, 45, -30, -40, 42, 38, 42, HU.stomachFluid, HU.visceralFat);
  img.rect(0, 100, -80, -50, HU.gas, HU.stomachFluid);
  // Kidneys with their sinus fat, the right one lower as usual.
  for (const [side, cz] of [[-1, -120], [1, -110]] as const) {
    img.ellipsoid(z, side * 70, 55, cz, 28, 32, 55, HU.kidney, HU.visceralFat);
    img.ellipsoid(z, side * 62, 52, cz, 9, 12, 25, HU.sinusFat, HU.kidney);
  }
  // Psoas muscles, growing towards the pelvis.
  if (z < -110) {
    const grow = (-110 - z) * 0.12;
    for (const side of [-1, 1]) img.ellipse(side * 42, 58, 10 + grow, 14 + grow * 0.5, HU.muscle, HU.visceralFat);
  }
  for (const loop of loops) img.ellipsoid(z, loop.x, loop.y, loop.z, loop.r, loop.r, loop.r, loop.gas ? HU.gas : HU.bowelFluid, HU.visceralFat);
  // Great vessels.
  img.ellipse(14, 32, 11, 11, HU.blood);
  img.ellipse(-20, 28, 12, 10, HU.blood);
  // Paraspinal muscles, then the spine: a disc every 32 mm, a vertebral body otherwise.
  for (const side of [-1, 1]) img.ellipse(side * 34, 88, 26, 20, HU.muscle);
  const inDisc = (((z + 1000) % 32) + 32) % 32 < 7;
  if (inDisc) {
    img.ellipse(0, 62, 21, 19, HU.disc);
  } else {
    img.ellipse(0, 62, 21, 19, HU.cortical);
    img.ellipse(0, 62, 18.5, 16.5, HU.cancellous);
  }
  img.ellipse(0, 92, 15, 13, HU.posteriorArch);
  img.ellipse(0, 90, 9, 8, HU.csf);
  img.rect(-4, 4, 104, 117, HU.posteriorArch);
  return img;
}

const GEOMETRY: Omit<CtSeriesGeometry, 'frameOfReferenceUid'> = {
  size: SIZE,
  pixelSpacing: SPACING,
  originX: ORIGIN,
  originY: ORIGIN,
  sliceThickness: SLICE_MM,
  bodyPart: 'ABDOMEN',
  windowCenter: 40,
  windowWidth: 400,
  windowExplanation: 'ABDOMEN',
  kernel: 'B30F',
};

/** Study 3: unenhanced abdominal CT, 40 × 5 mm. */
export function planAbdomenCt(seed: number, index: number): DemoStudyPlan {
  const identity = demoStudyIdentity(seed, index, DEMO_PATIENTS.abdomenCt, 'SCANNER ABDOMINAL SANS INJECTION', 'CT');
  const role = `study/${index}/series/1`;
  const series = {
    seriesInstanceUid: demoUid(seed, role),
    seriesNumber: 2,
    description: 'ABDOMEN 5 MM',
    start: addMinutes(identity.start, 6),
  };
  const geometry: CtSeriesGeometry = { ...GEOMETRY, frameOfReferenceUid: demoUid(seed, `${role}/frame-of-reference`) };
  const loops = bowelLoops(seed);
  const instances = Array.from({ length: ABDOMEN_CT_SLICES }, (_, i) => {
    const sopInstanceUid = demoUid(seed, `${role}/instance/${i}`);
    return {
      sopInstanceUid,
      build: () => {
        const z = Z0 + i * SLICE_MM;
        const stored = renderAbdomenSlice(z, loops).toStoredCt(new SeededRandom(seed, `${role}/noise/${i}`), 8, 30);
        return ctSliceDataset(identity, series, geometry, { sopInstanceUid, instanceNumber: i + 1, z, stored });
      },
    };
  });
  return { identity, series: [{ seriesInstanceUid: series.seriesInstanceUid, instances }] };
}
