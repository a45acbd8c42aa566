import { z } from 'zod';

/**
 * The report of a tele-file (issue 6): sections written beside the images,
 * a draft saved continuously, then signed once and never changed; corrections
 * are addenda, each signed and delivered like the report.
 *
 *   GET  /api/tele-files/:id/reports           → ReportList (the report and its addenda, oldest first)
 *   PUT  /api/tele-files/:id/report/draft      SaveDraftRequest → ReportView (409 ReportConflict: `conflict` + the current draft when baseVersion is stale)
 *   POST /api/reports/:reportId/sign           SignRequest → ReportView (re-authentication; 400 lists missing sections)
 *   POST /api/reports/:reportId/addendum       → ReportView (a new draft addendum referencing the signed report)
 *   PUT  /api/reports/:reportId/draft          SaveDraftRequest → ReportView (an addendum's draft)
 *   GET  /api/report-templates                 → ReportTemplateList
 *   PUT  /api/report-templates/:id             ReportTemplateInput → ReportTemplate (admin)
 *   GET  /api/me/macros                        → MacroList;  PUT /api/me/macros  MacroList → MacroList
 */

export const REPORT_SECTIONS = ['indication', 'technique', 'findings', 'conclusion'] as const;
export const ReportSection = z.enum(REPORT_SECTIONS);
export type ReportSection = z.infer<typeof ReportSection>;

/** Sections a report may not be signed without (an addendum needs only its findings or conclusion: see `missingSections`). */
export const REQUIRED_SECTIONS: readonly ReportSection[] = ['indication', 'findings', 'conclusion'];

export const SECTION_MAX = 20_000;

export const ReportContent = z.strictObject({
  indication: z.string().max(SECTION_MAX),
  technique: z.string().max(SECTION_MAX),
  findings: z.string().max(SECTION_MAX),
  conclusion: z.string().max(SECTION_MAX),
});
export type ReportContent = z.infer<typeof ReportContent>;

export const EMPTY_CONTENT: ReportContent = Object.freeze({ indication: '', technique: '', findings: '', conclusion: '' });

export const COMMUNICATION_MEANS = ['phone', 'in-person', 'secure-message'] as const;
export const CommunicationMeans = z.enum(COMMUNICATION_MEANS);
export type CommunicationMeans = z.infer<typeof CommunicationMeans>;

/** A critical finding was communicated: to whom, how, when. Mandatory before signing when the flag is set. */
export const CriticalCommunication = z.strictObject({
  to: z.string().trim().max(200),
  means: CommunicationMeans.nullable(),
  /** ISO 8601 instant (UTC). */
  at: z.string().max(40).nullable(),
});
export type CriticalCommunication = z.infer<typeof CriticalCommunication>;

export const CriticalFinding = z.strictObject({
  flagged: z.boolean(),
  communication: CriticalCommunication,
});
export type CriticalFinding = z.infer<typeof CriticalFinding>;

export const NO_CRITICAL_FINDING: CriticalFinding = Object.freeze({ flagged: false, communication: { to: '', means: null, at: null } });

export const REPORT_KINDS = ['report', 'addendum'] as const;
export const ReportKind = z.enum(REPORT_KINDS);
export type ReportKind = z.infer<typeof ReportKind>;

export const DELIVERY_STATES = ['pending', 'sending', 'retrying', 'delivered', 'stopped', 'failed'] as const;
export const DeliveryState = z.enum(DELIVERY_STATES);
export type DeliveryState = z.infer<typeof DeliveryState>;

/** Where a signed report's delivery stands, over all its jobs (SR, PDF, HL7): the least advanced wins. */
export const DeliveryStatus = z.object({
  state: DeliveryState,
  /** The last failure, in words a person can act on (null when none). */
  lastError: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const ReportView = z.object({
  id: z.string(),
  teleFileId: z.string(),
  kind: ReportKind,
  /** The report an addendum corrects (the previous signed document), else null. */
  predecessorId: z.string().nullable(),
  status: z.enum(['draft', 'signed']),
  content: ReportContent,
  critical: CriticalFinding,
  templateId: z.string().nullable(),
  /** Increases with every saved change: the next save must name it (two tabs never overwrite each other silently). */
  version: z.number().int(),
  updatedAt: z.string(),
  updatedBy: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  /** Which browser tab saved last (SaveDraftRequest.clientId): another tab knows it is not alone. */
  lastClientId: z.string().nullable(),
  signedAt: z.string().nullable(),
  signer: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  /** The DICOM objects made at signature (null before). */
  documents: z
    .object({ srSopInstanceUid: z.string(), pdfSopInstanceUid: z.string(), seriesInstanceUid: z.string() })
    .nullable(),
  delivery: DeliveryStatus.nullable(),
});
export type ReportView = z.infer<typeof ReportView>;

/**
 * A 409 on a report (a stale baseVersion or sign version, a draft already
 * started by another tab, a report signed meanwhile): the usual error body,
 * plus the report as it stands now, so the tab that lost is told what won.
 */
export const ReportConflict = z.object({
  error: z.object({ code: z.literal('conflict'), message: z.string(), requestId: z.string() }),
  current: ReportView,
});
export type ReportConflict = z.infer<typeof ReportConflict>;

export const ReportList = z.object({ teleFileId: z.string(), reports: z.array(ReportView) });
export type ReportList = z.infer<typeof ReportList>;

export const ReportIdParams = z.object({ reportId: z.uuid('This is not a report id.') });
export const TemplateIdParams = z.object({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'A template id is 1 to 64 lower-case letters, digits or dashes.') });

export const SaveDraftRequest = z.strictObject({
  content: ReportContent,
  critical: CriticalFinding,
  templateId: z.string().max(100).nullable(),
  /** The version this edit started from; 0 for a first save. */
  baseVersion: z.number().int().min(0),
  /** A random id per browser tab. */
  clientId: z.string().min(8).max(64),
});
export type SaveDraftRequest = z.infer<typeof SaveDraftRequest>;

/** Signing asks again who is signing, and shows the patient and the site one last time: the client sends back what was shown. */
export const SignRequest = z.strictObject({
  /** Either the password or a current TOTP code. */
  password: z.string().max(200).optional(),
  code: z.string().regex(/^\d{6}$/).optional(),
  version: z.number().int().min(1),
  confirmedPatientId: z.string().max(64),
  confirmedSiteId: z.string().max(100),
});
export type SignRequest = z.infer<typeof SignRequest>;

/** The sections still empty that a signature needs, in order (empty: ready to sign). */
export function missingSections(kind: ReportKind, content: ReportContent): ReportSection[] {
  if (kind === 'addendum') return content.findings.trim() === '' && content.conclusion.trim() === '' ? ['conclusion'] : [];
  return REQUIRED_SECTIONS.filter((section) => content[section].trim() === '');
}

/** What a flagged critical finding still lacks before signing: whom, how, when. */
export function missingCommunication(critical: CriticalFinding): Array<'to' | 'means' | 'at'> {
  if (!critical.flagged) return [];
  const missing: Array<'to' | 'means' | 'at'> = [];
  if (critical.communication.to.trim() === '') missing.push('to');
  if (critical.communication.means === null) missing.push('means');
  if (critical.communication.at === null || Number.isNaN(Date.parse(critical.communication.at))) missing.push('at');
  return missing;
}

export const EXAM_FAMILIES = ['head-ct-trauma', 'head-ct-stroke', 'chest-ct-pe', 'abdomen-ct', 'limb-radiograph'] as const;
export const ExamFamily = z.enum(EXAM_FAMILIES);
export type ExamFamily = z.infer<typeof ExamFamily>;

export const PickList = z.strictObject({
  section: ReportSection,
  label: z.string().min(1).max(100),
  options: z.array(z.string().min(1).max(500)).min(1).max(30),
});
export type PickList = z.infer<typeof PickList>;

export const ReportTemplateInput = z.strictObject({
  family: ExamFamily,
  title: z.string().trim().min(1).max(120),
  /** Text put in each section when the template is applied (the indication always comes from the clinical request). */
  sections: z.strictObject({
    technique: z.string().max(SECTION_MAX),
    findings: z.string().max(SECTION_MAX),
    conclusion: z.string().max(SECTION_MAX),
  }),
  pickLists: z.array(PickList).max(20),
});
export type ReportTemplateInput = z.infer<typeof ReportTemplateInput>;

export const ReportTemplate = ReportTemplateInput.extend({ id: z.string(), updatedAt: z.string() });
export type ReportTemplate = z.infer<typeof ReportTemplate>;

export const ReportTemplateList = z.object({ templates: z.array(ReportTemplate) });
export type ReportTemplateList = z.infer<typeof ReportTemplateList>;

export const Macro = z.strictObject({
  /** Typed in a section then Tab (or picked from the list): e.g. "nl" → "Pas d’anomalie décelée." */
  shortcut: z.string().regex(/^[a-z0-9][a-z0-9-]{0,19}$/, 'A shortcut is 1 to 20 lower-case letters, digits or dashes.'),
  text: z.string().min(1).max(5000),
});
export type Macro = z.infer<typeof Macro>;

export const MacroList = z.strictObject({
  macros: z
    .array(Macro)
    .max(200)
    .refine((macros) => new Set(macros.map((m) => m.shortcut)).size === macros.length, 'Two macros have the same shortcut.'),
});
export type MacroList = z.infer<typeof MacroList>;
