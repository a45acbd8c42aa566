import type { NaturalDataset } from './dcmjs.js';
import { commonAttributes, type SeriesIdentity } from './commonAttributes.js';
import { ds, dsList } from './dicomValues.js';
import type { DemoStudyIdentity } from './plan.js';

export const CT_IMAGE_STORAGE = '1.2.840.10008.5.1.4.1.1.2';

/** Geometry shared by every slice of an axial CT series. */
export interface CtSeriesGeometry {
  size: number;
  pixelSpacing: number;
  originX: number;
  originY: number;
  sliceThickness: number;
  frameOfReferenceUid: string;
  bodyPart: string;
  windowCenter: number;
  windowWidth: number;
  windowExplanation: string;
  kernel: string;
}

export interface CtSliceInput {
  sopInstanceUid: string;
  /** 1-based. */
  instanceNumber: number;
  z: number;
  stored: Uint16Array;
}

/**
 * A CT Image Storage dataset for one axial slice: 16 bits allocated, 12
 * stored, unsigned, RescaleIntercept −1024 (stored 0 = −1024 HU).
 */
export function ctSliceDataset(study: DemoStudyIdentity, series: SeriesIdentity, geometry: CtSeriesGeometry, slice: CtSliceInput): NaturalDataset {
  const { stored } = slice;
  return {
    ...commonAttributes(study, series, {
      sopClassUid: CT_IMAGE_STORAGE,
      sopInstanceUid: slice.sopInstanceUid,
      instanceNumber: slice.instanceNumber,
    }),
    ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    AcquisitionDate: series.start.date,
    AcquisitionTime: series.start.time,
    BodyPartExamined: geometry.bodyPart,
    SliceThickness: ds(geometry.sliceThickness),
    KVP: '120',
    DataCollectionDiameter: ds(geometry.size * geometry.pixelSpacing),
    ReconstructionDiameter: ds(geometry.size * geometry.pixelSpacing),
    GantryDetectorTilt: '0',
    TableHeight: '150',
    RotationDirection: 'CW',
    ConvolutionKernel: geometry.kernel,
    PatientPosition: 'HFS',
    AcquisitionNumber: 1,
    ImagePositionPatient: dsList([geometry.originX, geometry.originY, slice.z]),
    ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'],
    FrameOfReferenceUID: geometry.frameOfReferenceUid,
    PositionReferenceIndicator: '',
    SliceLocation: ds(slice.z),
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: geometry.size,
    Columns: geometry.size,
    PixelSpacing: dsList([geometry.pixelSpacing, geometry.pixelSpacing]),
    BitsAllocated: 16,
    BitsStored: 12,
    HighBit: 11,
    PixelRepresentation: 0,
    WindowCenter: ds(geometry.windowCenter),
    WindowWidth: ds(geometry.windowWidth),
    RescaleIntercept: '-1024',
    RescaleSlope: '1',
    RescaleType: 'HU',
    WindowCenterWidthExplanation: geometry.windowExplanation,
    PixelData: [stored.buffer.slice(stored.byteOffset, stored.byteOffset + stored.byteLength)],
    _vrMap: { PixelData: 'OW' },
  };
}
