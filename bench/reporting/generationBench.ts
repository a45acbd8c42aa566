// Issue 6, generation: what signing costs in CPU before its transaction — the
// Basic Text SR, the French PDF (pdf-lib) and its Encapsulated PDF wrapper,
// the ORU^R01 — per report, through the same builders signedDocuments() calls.
// Baseline in the same run, interleaved build by build: dcmjs alone writing
// the same SR dataset (already built) as a Part-10 file: the floor of any
// DICOM document made with dcmjs.
import { buildOruR01 } from '../../hub/reports/documents/oruR01.js';
import { buildEncapsulatedPdf, buildReportPdf } from '../../hub/reports/documents/reportPdf.js';
import { buildReportSr, reportSrDataset } from '../../hub/reports/documents/reportSr.js';
import { encodePart10 } from '../../hub/demo/writePart10.js';
import { check, percentile } from '../stats.js';
import { benchCtStudy, documentInput, studyMetadata } from './fixtures.js';

export interface Spread {
  p50: number;
  p95: number;
  mean: number;
}

export interface GenerationFigures {
  builds: number;
  /** SR + PDF + Encapsulated PDF + ORU, as signedDocuments() does. */
  total: Spread;
  sr: Spread;
  pdf: Spread;
  encapsulation: Spread;
  oru: Spread;
  baseline: Spread;
  srBytes: number;
  pdfBytes: number;
  encapsulatedBytes: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean: sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length) };
}

export async function measureGeneration(options: { builds: number; warmup?: number }): Promise<GenerationFigures> {
  const study = benchCtStudy(1, 'GEN');
  const metadata = studyMetadata(study);
  const times = { total: [] as number[], sr: [] as number[], pdf: [] as number[], encapsulation: [] as number[], oru: [] as number[], baseline: [] as number[] };
  let sizes = { sr: 0, pdf: 0, encapsulated: 0 };
  const warmup = options.warmup ?? 20;
  for (let i = 0; i < warmup + options.builds; i++) {
    const input = documentInput(study, metadata, i);
    const srDataset = reportSrDataset(input);
    // Baseline first, then the builders, alternating every build so both see the same machine.
    const b0 = performance.now();
    const plain = encodePart10(srDataset);
    const b1 = performance.now();
    const t0 = performance.now();
    const sr = buildReportSr(input);
    const t1 = performance.now();
    const pdf = await buildReportPdf(input);
    const t2 = performance.now();
    const encapsulated = await buildEncapsulatedPdf(input, pdf);
    const t3 = performance.now();
    const oru = buildOruR01(input, { sendingFacility: 'CHU Démo (fictif)', receivingFacility: 'CH Démo Nord (fictif)', messageControlId: input.report.id, now: input.report.signedAt });
    const t4 = performance.now();
    check(sr.length > 1000 && plain.length > 1000 && encapsulated.length > pdf.length && oru.includes('ORU^R01'), 'a builder produced an implausibly small document');
    if (i < warmup) continue;
    times.baseline.push(b1 - b0);
    times.sr.push(t1 - t0);
    times.pdf.push(t2 - t1);
    times.encapsulation.push(t3 - t2);
    times.oru.push(t4 - t3);
    times.total.push(t4 - t0);
    sizes = { sr: sr.length, pdf: pdf.length, encapsulated: encapsulated.length };
  }
  return {
    builds: options.builds,
    total: spreadOf(times.total),
    sr: spreadOf(times.sr),
    pdf: spreadOf(times.pdf),
    encapsulation: spreadOf(times.encapsulation),
    oru: spreadOf(times.oru),
    baseline: spreadOf(times.baseline),
    srBytes: sizes.sr,
    pdfBytes: sizes.pdf,
    encapsulatedBytes: sizes.encapsulated,
  };
}
