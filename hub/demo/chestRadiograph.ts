import type { NaturalDataset } from './dcmjs.js';
import { commonAttributes } from './commonAttributes.js';
import { DEMO_PATIENTS } from './demoPatients.js';
import { addMinutes, ds, dsList } from './dicomValues.js';
import type { DemoStudyPlan } from './plan.js';
import { SeededRandom } from './seededRandom.js';
import { demoStudyIdentity } from './studyIdentity.js';
import { demoUid } from './uid.js';

export const DX_IMAGE_STORAGE_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';

const SIZE = 1024;
const SPACING = 0.4;
/** Pixel c sits at X = (c − HALF)·SPACING mm from the image centre. */
const HALF = (SIZE - 1) / 2;
const BACKGROUND = 200;

/**
 * Accumulates projected thickness, X to the image right (patient left on a PA
 * film viewed as usual), Y downwards (towards the feet). An ellipsoid seen
 * from the front projects as weight·√(1 − q), which gives the soft edges of a
 * real radiograph without any blur pass.
 */
class Projection {
  readonly acc = new Float32Array(SIZE * SIZE);

  private add(index: number, amount: number): void {
    this.acc[index] = (this.acc[index] as number) + amount;
  }

  ellipsoid(cx: number, cy: number, ax: number, ay: number, weight: number): void {
    const c0 = Math.max(0, Math.floor((cx - ax) / SPACING + HALF));
    const c1 = Math.min(SIZE - 1, Math.ceil((cx + ax) / SPACING + HALF));
    const r0 = Math.max(0, Math.floor((cy - ay) / SPACING + HALF));
    const r1 = Math.min(SIZE - 1, Math.ceil((cy + ay) / SPACING + HALF));
    for (let r = r0; r <= r1; r++) {
      const dy = ((r - HALF) * SPACING - cy) / ay;
      for (let c = c0; c <= c1; c++) {
        const dx = ((c - HALF) * SPACING - cx) / ax;
        const q = dx * dx + dy * dy;
        if (q < 1) this.add(r * SIZE + c, weight * Math.sqrt(1 - q));
      }
    }
  }

  /**
   * A bone seen as a curved band: for each column between x0 and x1 (mm) the
   * band is centred on y = centreLine(x) with the given half-thickness;
   * `inside` limits it (ribs stop at the chest wall).
   */
  band(x0: number, x1: number, centreLine: (x: number) => number, halfThickness: number, weight: number, inside?: (x: number, y: number) => boolean): void {
    const c0 = Math.max(0, Math.ceil(x0 / SPACING + HALF));
    const c1 = Math.min(SIZE - 1, Math.floor(x1 / SPACING + HALF));
    for (let c = c0; c <= c1; c++) {
      const x = (c - HALF) * SPACING;
      const yc = centreLine(x);
      const r0 = Math.max(0, Math.floor((yc - halfThickness) / SPACING + HALF));
      const r1 = Math.min(SIZE - 1, Math.ceil((yc + halfThickness) / SPACING + HALF));
      for (let r = r0; r <= r1; r++) {
        const y = (r - HALF) * SPACING;
        const d = (y - yc) / halfThickness;
        if (d * d < 1 && (inside === undefined || inside(x, y))) this.add(r * SIZE + c, weight * Math.sqrt(1 - d * d));
      }
    }
  }
}

/** Trunk outline, shared by the ribs' clipping. */
const TRUNK = { cx: 0, cy: 80, ax: 175, ay: 420 };
function insideTrunk(x: number, y: number): boolean {
  const dx = (x - TRUNK.cx) / TRUNK.ax;
  const dy = (y - TRUNK.cy) / TRUNK.ay;
  return dx * dx + dy * dy < 0.92;
}

/** A PA chest radiograph, 12-bit stored values, bright = more attenuation. */
export function renderChestRadiograph(rng: SeededRandom): Uint16Array {
  const p = new Projection();
  p.ellipsoid(TRUNK.cx, TRUNK.cy, TRUNK.ax, TRUNK.ay, 1500);
  p.ellipsoid(0, -240, 58, 90, 500);
  for (const side of [-1, 1]) {
    p.ellipsoid(side * 165, -185, 75, 48, 500);
    p.ellipsoid(side * 178, -172, 27, 30, 700);
  }
  // Lungs: the right hemidiaphragm (image left) sits higher than the left.
  p.ellipsoid(-85, -12, 72, 168, -1150);
  p.ellipsoid(88, 2, 70, 172, -1150);
  // Mediastinum, trachea, aortic knob, hila, heart.
  p.ellipsoid(0, -60, 36, 175, 550);
  p.ellipsoid(0, -135, 9, 85, -260);
  p.ellipsoid(28, -62, 20, 18, 320);
  for (const side of [-1, 1]) p.ellipsoid(side * 58, 5, 22, 36, 260);
  p.ellipsoid(30, 88, 88, 72, 750);
  // Spine: vertebral bodies every 30 mm separated by discs.
  for (let y = -220; y < 240; y += 30) p.ellipsoid(0, y, 21, 12, 220);
  // Posterior ribs curving down and out from the spine, then the clavicles.
  for (let k = 0; k < 10; k++) {
    const y0 = -182 + k * 30;
    for (const side of [-1, 1]) {
      const line = (x: number): number => {
        const u = side * x - 18;
        return y0 + 0.0042 * u * u - 0.25 * u;
      };
      const [x0, x1] = side < 0 ? [-180, -18] : [18, 180];
      p.band(x0, x1, line, 5.5, 190, insideTrunk);
    }
  }
  for (const side of [-1, 1]) {
    const line = (x: number): number => -158 - 0.16 * (side * x - 15);
    const [x0, x1] = side < 0 ? [-150, -15] : [15, 150];
    p.band(x0, x1, line, 6.5, 620);
  }
  const stored = new Uint16Array(SIZE * SIZE);
  for (let i = 0; i < stored.length; i++) {
    const v = Math.round(BACKGROUND + (p.acc[i] as number) + 14 * rng.normal());
    stored[i] = v < 0 ? 0 : v > 4095 ? 4095 : v;
  }
  return stored;
}

/** Study 2: one PA chest radiograph (DX, for presentation). */
export function planChestRadiograph(seed: number, index: number): DemoStudyPlan {
  const identity = demoStudyIdentity(seed, index, DEMO_PATIENTS.chestRadiograph, 'RADIOGRAPHIE THORAX FACE', 'DX');
  const role = `study/${index}/series/1`;
  const series = {
    seriesInstanceUid: demoUid(seed, role),
    seriesNumber: 1,
    description: 'THORAX PA',
    start: addMinutes(identity.start, 2),
  };
  const sopInstanceUid = demoUid(seed, `${role}/instance/0`);
  const build = (): NaturalDataset => {
    const stored = renderChestRadiograph(new SeededRandom(seed, `${role}/noise/0`));
    return {
      ...commonAttributes(identity, series, {
        sopClassUid: DX_IMAGE_STORAGE_FOR_PRESENTATION,
        sopInstanceUid,
        instanceNumber: 1,
      }),
      ImageType: ['ORIGINAL', 'PRIMARY'],
      AcquisitionDate: series.start.date,
      AcquisitionTime: series.start.time,
      PresentationIntentType: 'FOR PRESENTATION',
      BodyPartExamined: 'CHEST',
      KVP: '125',
      DistanceSourceToDetector: '1800',
      ExposureTime: '8',
      XRayTubeCurrent: '320',
      ImagerPixelSpacing: dsList([SPACING, SPACING]),
      DetectorType: 'SCINTILLATOR',
      PositionerType: 'COLUMN',
      ViewPosition: 'PA',
      ViewCodeSequence: [{ CodeValue: '399348003', CodingSchemeDesignator: 'SCT', CodeMeaning: 'postero-anterior' }],
      PatientOrientation: ['L', 'F'],
      ImageLaterality: 'U',
      AnatomicRegionSequence: [{ CodeValue: '43799004', CodingSchemeDesignator: 'SCT', CodeMeaning: 'Chest' }],
      AcquisitionContextSequence: [],
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: SIZE,
      Columns: SIZE,
      BitsAllocated: 16,
      BitsStored: 12,
      HighBit: 11,
      PixelRepresentation: 0,
      PixelIntensityRelationship: 'LOG',
      PixelIntensityRelationshipSign: -1,
      WindowCenter: ds(1500),
      WindowWidth: ds(3000),
      RescaleIntercept: '0',
      RescaleSlope: '1',
      RescaleType: 'US',
      PresentationLUTShape: 'IDENTITY',
      PixelData: [stored.buffer],
      _vrMap: { PixelData: 'OW' },
    };
  };
  return { identity, series: [{ seriesInstanceUid: series.seriesInstanceUid, instances: [{ sopInstanceUid, build }] }] };
}
