import type { ExamFamily, ReportContent, ReportSection, ReportTemplate } from '../../core/api/reports.js';
import type { TeleFileSummary } from '../../core/api/teleFiles.js';

/** DICOM attributes the technique line is built from (PS3.6 tags, DICOM JSON keys). */
const TAG = {
  modality: '00080060',
  studyDescription: '00081030',
  seriesDescription: '0008103E',
  protocolName: '00181030',
  contrastBolusAgent: '00180010',
  ctdiVol: '00189345',
  /** CT Exposure Sequence (PS3.3 C.8.15.3.7): where enhanced CT objects put CTDIvol. */
  ctExposureSequence: '00189321',
  imageComments: '00204000',
} as const;

type Json = Record<string, unknown>;

function element(meta: unknown, tag: string): { Value?: unknown[] } | null {
  if (typeof meta !== 'object' || meta === null) return null;
  const found = (meta as Json)[tag];
  return typeof found === 'object' && found !== null ? (found as { Value?: unknown[] }) : null;
}

function text(meta: unknown, tag: string): string | null {
  const value = element(meta, tag)?.Value?.[0];
  const trimmed = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return trimmed === '' ? null : trimmed;
}

function number(meta: unknown, tag: string): number | null {
  const value = element(meta, tag)?.Value?.[0];
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) ? parsed : null;
}

/** What the images say about how they were made, from the first instance the viewer already has. */
export interface TechniqueFacts {
  modality: string | null;
  protocol: string | null;
  series: string | null;
  contrast: string | null;
  /** mGy. */
  ctdiVol: number | null;
  /** mGy·cm, only when the modality wrote it where a person would read it (ImageComments): no image IOD has a DLP attribute. */
  dlp: number | null;
}

export function techniqueFacts(header: Record<string, unknown> | null): TechniqueFacts {
  const exposure = element(header, TAG.ctExposureSequence)?.Value?.[0];
  const comments = text(header, TAG.imageComments);
  const dlpMatch = comments === null ? null : /\bDLP\b\s*[:=]?\s*(\d+(?:[.,]\d+)?)/i.exec(comments);
  return {
    modality: text(header, TAG.modality),
    protocol: text(header, TAG.protocolName),
    series: text(header, TAG.seriesDescription) ?? text(header, TAG.studyDescription),
    contrast: text(header, TAG.contrastBolusAgent),
    ctdiVol: number(header, TAG.ctdiVol) ?? number(exposure, TAG.ctdiVol),
    dlp: dlpMatch?.[1] === undefined ? null : Number(dlpMatch[1].replace(',', '.')),
  };
}

/** Words of the technique line, in the UI language (the panel passes i18n texts). */
export interface TechniqueLabels {
  modality(code: string): string;
  protocol: string;
  series: string;
  contrast: string;
  ctdiVol: string;
  dlp: string;
  /** Decimal formatting of the locale (fr: comma). */
  number(value: number): string;
}

/**
 * The technique section's first line, e.g. "Scanner (CT). Protocole : CRANE
 * SANS IV. Série : Axial 5 mm. Produit de contraste : Omnipaque 350.
 * CTDIvol : 45,2 mGy." Only what the images state: a missing contrast agent
 * is not written as "sans injection", since the first series may precede it.
 */
export function techniqueLine(facts: TechniqueFacts, labels: TechniqueLabels): string {
  const parts: string[] = [];
  if (facts.modality) parts.push(`${labels.modality(facts.modality)}.`);
  if (facts.protocol) parts.push(`${labels.protocol} : ${facts.protocol}.`);
  if (facts.series && facts.series !== facts.protocol) parts.push(`${labels.series} : ${facts.series}.`);
  if (facts.contrast) parts.push(`${labels.contrast} : ${facts.contrast}.`);
  const dose = [
    facts.ctdiVol === null ? null : `${labels.ctdiVol} : ${labels.number(facts.ctdiVol)} mGy`,
    facts.dlp === null ? null : `${labels.dlp} : ${labels.number(facts.dlp)} mGy·cm`,
  ].filter((part): part is string => part !== null);
  if (dose.length > 0) parts.push(`${dose.join(', ')}.`);
  return parts.join(' ');
}

/**
 * The exam family a tele-file most likely belongs to, to offer its templates
 * first. A guess from the modality and the study's words; the person picks.
 */
export function suggestedFamily(teleFile: Pick<TeleFileSummary, 'modalities' | 'modalityFamily' | 'bodyPart' | 'studyDescription' | 'clinicalQuestion'>): ExamFamily | null {
  const words = [teleFile.bodyPart, teleFile.studyDescription, teleFile.clinicalQuestion].filter(Boolean).join(' ').toLowerCase();
  const has = (pattern: RegExp) => pattern.test(words);
  if (teleFile.modalityFamily === 'conventional') return 'limb-radiograph';
  if (!teleFile.modalities.includes('CT')) return null;
  if (has(/head|brain|cr[aâ]n|c[ée]r[ée]br|enc[ée]phal|t[eê]te/)) return has(/avc|stroke|d[ée]ficit|thrombol|thromb|perfusion|angio/) ? 'head-ct-stroke' : 'head-ct-trauma';
  if (has(/chest|thorax|thorac|pulmon|embol|\bep\b|angio/)) return 'chest-ct-pe';
  if (has(/abdo|pelv|abdomen|foie|rein|append/)) return 'abdomen-ct';
  return null;
}

export interface TemplateApplication {
  content: ReportContent;
  /** Sections that already held text and were left as they were. */
  kept: ReportSection[];
}

/**
 * Applies a template: indication from the clinical request, technique from
 * the images then the template, findings and conclusion from the template.
 * A section that already holds text is never overwritten: the person's words
 * win over a template, and `kept` says which were left.
 */
export function applyTemplate(template: Pick<ReportTemplate, 'sections'> | null, current: ReportContent, prefill: { indication: string | null; technique: string }): TemplateApplication {
  const proposed: ReportContent = {
    indication: prefill.indication?.trim() ?? '',
    technique: [prefill.technique.trim(), template?.sections.technique.trim() ?? ''].filter((part) => part !== '').join('\n'),
    findings: template?.sections.findings ?? '',
    conclusion: template?.sections.conclusion ?? '',
  };
  const content = { ...current };
  const kept: ReportSection[] = [];
  for (const section of ['indication', 'technique', 'findings', 'conclusion'] as const) {
    if (proposed[section] === '') continue;
    if (current[section].trim() === '') content[section] = proposed[section];
    else if (current[section].trim() !== proposed[section].trim()) kept.push(section);
  }
  return { content, kept };
}

/** The report's indication from the clinical request: its context, then its question. */
export function indicationOf(teleFile: Pick<TeleFileSummary, 'clinicalIndication' | 'clinicalQuestion'>): string | null {
  const parts = [teleFile.clinicalIndication, teleFile.clinicalQuestion].map((part) => part?.trim() ?? '').filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join('\n');
}
