/**
 * Window presets (width/centre in Hounsfield units for CT) and the VOI LUT
 * arithmetic the viewer and its tests share. Keys 1…8 select the presets in
 * this order (core/viewerActions.ts DEFAULT_HOTKEYS).
 */
export type PresetId = 'brain' | 'subdural' | 'stroke' | 'bone' | 'lung' | 'mediastinum' | 'abdomen' | 'liver';

export interface WindowSetting {
  /** Window width, ≥ 1 (PS3.3 C.11.2.1.2: Window Width shall always be ≥ 1). */
  width: number;
  center: number;
}

export interface WindowPreset extends WindowSetting {
  id: PresetId;
}

/**
 * Common radiology values (e.g. Radiopaedia "Windowing (CT)"; OHIF's CT presets):
 * - stroke: W40 C40, not the W8 C32 of Lev et al. (Radiology 1999;213:150):
 *   W8 was tuned on their scanners, and so narrow a window turns grey matter
 *   white or black with the few HU of calibration drift between the region's
 *   many CT scanners; W40 C40 still doubles the grey/white contrast of W80
 *   and stays readable on all of them. The reader can narrow it by hand.
 * - subdural: W200 C75, wide enough to separate a thin collection from the
 *   inner table; bone: W2000 C500 (cortex and trabecular bone both visible).
 */
export const WINDOW_PRESETS: readonly WindowPreset[] = Object.freeze([
  { id: 'brain', width: 80, center: 40 },
  { id: 'subdural', width: 200, center: 75 },
  { id: 'stroke', width: 40, center: 40 },
  { id: 'bone', width: 2000, center: 500 },
  { id: 'lung', width: 1500, center: -600 },
  { id: 'mediastinum', width: 350, center: 50 },
  { id: 'abdomen', width: 400, center: 50 },
  { id: 'liver', width: 150, center: 30 },
] as const satisfies readonly WindowPreset[]);

export function presetOf(id: PresetId): WindowPreset {
  return WINDOW_PRESETS.find((preset) => preset.id === id) as WindowPreset;
}

const Y_MIN = 0;
const Y_MAX = 255;

/**
 * The displayed grey level (0…255) of modality value `x` (after the modality
 * LUT: HU for CT), by the LINEAR VOI LUT function of DICOM PS3.3
 * C.11.2.1.2.1, with c = Window Center, w = Window Width:
 *
 *   if      x <= c - 0.5 - (w - 1) / 2  then y = ymin
 *   else if x >  c - 0.5 + (w - 1) / 2  then y = ymax
 *   else    y = ((x - (c - 0.5)) / (w - 1) + 0.5) * (ymax - ymin) + ymin
 *
 * The result is the standard's real value, not rounded. A width below 1 is
 * not valid DICOM and is taken as 1 (a hard threshold at c - 0.5), which is
 * also why w = 1 never divides by zero: the middle branch is then empty.
 */
export function displayedGrey(value: number, window: WindowSetting): number {
  const c = window.center;
  const w = Math.max(1, window.width);
  if (value <= c - 0.5 - (w - 1) / 2) return Y_MIN;
  if (value > c - 0.5 + (w - 1) / 2) return Y_MAX;
  return ((value - (c - 0.5)) / (w - 1) + 0.5) * (Y_MAX - Y_MIN) + Y_MIN;
}

/**
 * Cornerstone3D's VOI range for a window, exactly as its LINEAR function reads
 * it (core utilities/windowLevel `toLowHighRange`): the bounds of the DICOM
 * function above, lower = c - 0.5 - (w - 1)/2 and upper = c - 0.5 + (w - 1)/2.
 * Cornerstone maps lower to black and upper to white, so what it draws is
 * `displayedGrey` to the grey level.
 */
export function voiRange(window: WindowSetting): { lower: number; upper: number } {
  const w = Math.max(1, window.width);
  return { lower: window.center - 0.5 - (w - 1) / 2, upper: window.center - 0.5 + (w - 1) / 2 };
}

/** The inverse of `voiRange` (Cornerstone3D `toWindowLevel`); the bounds may come in either order. */
export function windowFromRange(lower: number, upper: number): WindowSetting {
  return { width: Math.abs(upper - lower) + 1, center: (lower + upper + 1) / 2 };
}
