// Issue 6 (reports and delivery): `npx tsx bench/run.ts reporting`.
//   1. SR + PDF (+ Encapsulated PDF, ORU^R01) generation per report, against dcmjs alone writing the same SR dataset;
//   2. sign → verified arrival at the site's Orthanc over the real hub process, against one STOW-RS + QIDO-RS;
//   3. the outbox's throughput on a backlog when the site's Orthanc comes back, against raw sequential STOW-RS.
// Helpers in bench/reporting/.
import { measureDelivery, type DeliveryFigures } from './reporting/deliveryBench.js';
import { measureGeneration, type GenerationFigures } from './reporting/generationBench.js';
import { fmt } from './stats.js';

export interface ReportingFigures {
  generation: GenerationFigures;
  delivery: DeliveryFigures;
}

const ms = (n: number) => `${fmt(n, n < 10 ? 1 : 0)} ms`;

export async function measureReporting(options: { builds?: number; reports?: number; backlogReports?: number; log?: (line: string) => void } = {}): Promise<ReportingFigures> {
  const generation = await measureGeneration({ builds: options.builds ?? 200 });
  const delivery = await measureDelivery({ reports: options.reports ?? 100, backlogReports: options.backlogReports ?? 500, log: options.log });
  return { generation, delivery };
}

export function generationReport(g: GenerationFigures): string[] {
  return [
    `Report documents per signature, ${g.builds} builds (after 20 warm-up) of a French head-CT report (indication, technique, 3 paragraphs of findings, conclusion; 1 in 10 with a critical finding), the hub's own builders, in this process`,
    `  SR + PDF + Encapsulated PDF + ORU^R01: p50 ${ms(g.total.p50)}, p95 ${ms(g.total.p95)}, mean ${ms(g.total.mean)}`,
    `    of which Basic Text SR p50 ${ms(g.sr.p50)} (${g.srBytes} B) · PDF (pdf-lib) p50 ${ms(g.pdf.p50)} (${g.pdfBytes} B) · Encapsulated PDF p50 ${ms(g.encapsulation.p50)} (${g.encapsulatedBytes} B) · ORU^R01 p50 ${ms(g.oru.p50)}`,
    `  baseline dcmjs alone writing the same SR dataset as Part 10 (interleaved): p50 ${ms(g.baseline.p50)}, p95 ${ms(g.baseline.p95)}`,
    `  ratio all documents / dcmjs write: p50 ${fmt(g.total.p50 / g.baseline.p50, 2)}, p95 ${fmt(g.total.p95 / g.baseline.p95, 2)}; SR builder / dcmjs write p50 ${fmt(g.sr.p50 / g.baseline.p50, 2)}`,
  ];
}

export function deliveryReport(d: DeliveryFigures): string[] {
  const b = d.backlog;
  return [
    `Sign → verified arrival: hub process (hub/main.ts, PostgreSQL, outbox worker polling every 2 s), pivot Orthanc (${d.reports} one-slice CTs stored with storescu as CH Démo Nord),`,
    `site Orthanc as the north site's DICOMweb endpoint (PUT /api/admin/organisation); ${d.reports} reports signed one at a time over HTTP with the password;`,
    `time from the sign call's start until GET /api/tele-files/:id/reports (every 50 ms) says delivered (${d.jobsPerReport} jobs per report: SR + PDF, each sent then found by QIDO; ${d.siteInstances} instances at the site)`,
    `  sign → delivered: p50 ${ms(d.signToDelivered.p50)}, p95 ${ms(d.signToDelivered.p95)}`,
    `    the sign call: p50 ${ms(d.signCall.p50)}, p95 ${ms(d.signCall.p95)} (argon2 re-authentication, PACS metadata, SR/PDF/HL7, one transaction)`,
    `    sign returned → delivered: p50 ${ms(d.afterSign.p50)}, p95 ${ms(d.afterSign.p95)} (the outbox: 250 ms wake-up, then per job 2 QIDO + STOW + QIDO + audit)`,
    `  baseline one STOW-RS of the same SR bytes + one QIDO-RS for it, straight to an identical Orthanc: p50 ${ms(d.baseline.p50)}, p95 ${ms(d.baseline.p95)}`,
    `  ratio sign → delivered / baseline: p50 ${fmt(d.signToDelivered.p50 / d.baseline.p50, 1)}, p95 ${fmt(d.signToDelivered.p95 / d.baseline.p95, 1)}; outbox part / baseline p50 ${fmt(d.afterSign.p50 / d.baseline.p50, 1)}`,
    `Outbox backlog: site Orthanc killed, ${b.jobs} jobs (SR + PDF of ${b.jobs / 2} addenda, median ${b.bytesPerDocument} B) written as after a failed attempt; site restarted, all made due at once`,
    `  delivered and verified: ${b.jobs} in ${fmt(b.seconds, 1)} s = ${fmt(b.jobsPerSecond, 1)} jobs/s; ${b.pauses} pauses ≥ 1 s between passes totalling ${fmt(b.pausedSeconds, 1)} s (inside passes ${fmt(b.busyJobsPerSecond, 1)} jobs/s)`,
    `  baseline ${b.jobs} raw STOW-RS posts of the same bytes, sequential: ${fmt(b.baselineSeconds, 1)} s = ${fmt(b.baselinePerSecond, 1)} posts/s`,
    `  ratio outbox / raw STOW throughput: ${fmt(b.jobsPerSecond / b.baselinePerSecond, 2)} (inside passes ${fmt(b.busyJobsPerSecond / b.baselinePerSecond, 2)})`,
    `  note: jobs failing while the site is down wait ${d.backoffMs.map((v) => `${v / 1000} s`).join(', ')} between attempts; the backlog above is the best case (all due when the site returns)`,
  ];
}
