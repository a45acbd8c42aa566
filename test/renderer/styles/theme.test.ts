import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** WCAG 2.2 contrast of the theme's colour pairs, read from the CSS itself. */
const css = readFileSync(new URL('../../../renderer/styles/theme.css', import.meta.url), 'utf8');
const colours = new Map([...css.matchAll(/--color-([\w-]+):\s*(#[0-9a-f]{6})\s*;/gi)].map((m) => [m[1] ?? '', m[2] ?? '']));

function colour(name: string): string {
  const hex = colours.get(name);
  if (hex === undefined) throw new Error(`theme.css has no --color-${name}`);
  return hex;
}

function luminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(colour(a)), luminance(colour(b))].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** Text (foreground) on background pairs the stylesheets actually use. */
const TEXT_PAIRS: [string, string][] = [
  ['text', 'bg'],
  ['text', 'surface'],
  ['text', 'surface-raised'],
  ['text', 'danger-bg'],
  ['text', 'warning-bg'],
  ['text', 'info-bg'],
  ['text-muted', 'bg'],
  ['text-muted', 'surface'],
  ['text-muted', 'surface-raised'],
  ['text-muted', 'danger-bg'],
  ['text-muted', 'warning-bg'],
  ['text-muted', 'info-bg'],
  ['accent', 'bg'],
  ['accent', 'surface'],
  ['accent-hover', 'surface'],
  ['on-accent', 'accent'],
  ['on-accent', 'accent-hover'],
  ['danger', 'surface'],
  ['danger', 'danger-bg'],
  ['danger-bg', 'danger'],
  ['warning', 'warning-bg'],
  ['warning', 'surface'],
  // The selected worklist row, and what it holds.
  ['text', 'selection'],
  ['text-muted', 'selection'],
  ['warning', 'selection'],
  ['accent', 'selection'],
  ['ok', 'surface'],
  ['ok', 'bg'],
  ['warning', 'surface-raised'],
  ['text-muted', 'surface-raised'],
];

/** Borders and the focus ring: WCAG 1.4.11 asks 3:1 for what identifies a control or its state. */
const NON_TEXT_PAIRS: [string, string][] = [
  ['border-strong', 'bg'],
  ['border-strong', 'surface'],
  ['accent', 'bg'],
  ['accent', 'surface'],
  ['danger-border', 'bg'],
  ['danger-border', 'surface'],
  ['warning-border', 'surface'],
  ['accent', 'selection'],
];

describe('theme contrast', () => {
  it.each(TEXT_PAIRS)('%s on %s reaches 4.5:1', (foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(NON_TEXT_PAIRS)('%s against %s reaches 3:1', (foreground, background) => {
    expect(contrast(foreground, background)).toBeGreaterThanOrEqual(3);
  });

  it('uses a dark grey background, not pure black', () => {
    expect(colour('bg')).not.toBe('#000000');
    expect(luminance(colour('bg'))).toBeGreaterThan(0.005);
    expect(luminance(colour('bg'))).toBeLessThan(0.03);
  });
});
