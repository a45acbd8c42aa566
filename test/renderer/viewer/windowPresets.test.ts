import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEYS } from '../../../core/viewerActions.js';
import { WINDOW_PRESETS, displayedGrey, presetOf, voiRange, windowFromRange } from '../../../renderer/viewer/windowPresets.js';

describe('window presets', () => {
  it('lists the eight presets in key order, each bound by default to its digit', () => {
    expect(WINDOW_PRESETS.map((p) => p.id)).toEqual(['brain', 'subdural', 'stroke', 'bone', 'lung', 'mediastinum', 'abdomen', 'liver']);
    WINDOW_PRESETS.forEach((preset, i) => expect(DEFAULT_HOTKEYS[`preset.${preset.id}`]).toEqual([String(i + 1)]));
  });

  it('uses the accepted radiology values', () => {
    expect(presetOf('brain')).toMatchObject({ width: 80, center: 40 });
    expect(presetOf('stroke')).toMatchObject({ width: 40, center: 40 });
    expect(presetOf('lung')).toMatchObject({ width: 1500, center: -600 });
    expect(presetOf('mediastinum')).toMatchObject({ width: 350, center: 50 });
    expect(presetOf('abdomen')).toMatchObject({ width: 400, center: 50 });
    expect(presetOf('liver')).toMatchObject({ width: 150, center: 30 });
    for (const preset of WINDOW_PRESETS) expect(preset.width).toBeGreaterThanOrEqual(1);
  });
});

describe('displayedGrey: DICOM PS3.3 C.11.2.1.2.1 LINEAR', () => {
  const brain = { width: 80, center: 40 };

  it('is black at and below c - 0.5 - (w-1)/2 and white above c - 0.5 + (w-1)/2', () => {
    // c - 0.5 - (w-1)/2 = 40 - 0.5 - 39.5 = 0; c - 0.5 + (w-1)/2 = 79.
    expect(displayedGrey(0, brain)).toBe(0);
    expect(displayedGrey(-1000, brain)).toBe(0);
    expect(displayedGrey(79.0001, brain)).toBe(255);
    expect(displayedGrey(3000, brain)).toBe(255);
    expect(displayedGrey(79, brain)).toBeCloseTo(255, 10);
  });

  it('follows ((x - (c - 0.5)) / (w - 1) + 0.5) * 255 in between', () => {
    expect(displayedGrey(39.5, brain)).toBeCloseTo(127.5, 10);
    expect(displayedGrey(20, brain)).toBeCloseTo(((20 - 39.5) / 79 + 0.5) * 255, 10);
    expect(displayedGrey(0.0001, brain)).toBeGreaterThan(0);
  });

  it('is monotonic over the window', () => {
    let previous = -1;
    for (let x = -50; x <= 130; x += 0.5) {
      const y = displayedGrey(x, brain);
      expect(y).toBeGreaterThanOrEqual(previous);
      previous = y;
    }
  });

  it('with w = 1 is a threshold at c - 0.5, with no division by zero (and w < 1 is taken as 1)', () => {
    expect(displayedGrey(39.5, { width: 1, center: 40 })).toBe(0);
    expect(displayedGrey(39.6, { width: 1, center: 40 })).toBe(255);
    expect(displayedGrey(39.6, { width: 0, center: 40 })).toBe(255);
    expect(Number.isNaN(displayedGrey(39.5, { width: 0, center: 40 }))).toBe(false);
  });
});

describe('VOI range (Cornerstone convention)', () => {
  it('is the DICOM LINEAR bounds, as Cornerstone reads a window', () => {
    expect(voiRange({ width: 1500, center: -600 })).toEqual({ lower: -1350, upper: 149 });
    expect(voiRange({ width: 80, center: 40 })).toEqual({ lower: 0, upper: 79 });
    // What Cornerstone draws at the bounds is what the DICOM function gives there.
    expect(displayedGrey(0, { width: 80, center: 40 })).toBe(0);
    expect(displayedGrey(79, { width: 80, center: 40 })).toBe(255);
  });

  it('round-trips through windowFromRange, bounds in either order', () => {
    for (const preset of WINDOW_PRESETS) {
      const { lower, upper } = voiRange(preset);
      expect(windowFromRange(lower, upper)).toEqual({ width: preset.width, center: preset.center });
      expect(windowFromRange(upper, lower)).toEqual({ width: preset.width, center: preset.center });
    }
  });
});
