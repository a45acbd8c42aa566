import { z } from 'zod';
import { Coverage } from '../coverage.js';
import { PdsCalendarConfig } from '../pdsCalendar.js';
import { RosterTarget } from '../roster.js';
import { Site } from '../site.js';

/**
 * The region's organisation as one document: sites, pivot groups and coverage
 * rules, and the PDS calendar. Saved as a new version on each change (the
 * previous ones are kept); validated as a whole before it is accepted.
 */
export const Organisation = z.object({
  sites: z.array(Site),
  coverage: Coverage,
  pdsCalendar: PdsCalendarConfig,
});
export type Organisation = z.infer<typeof Organisation>;
export type OrganisationInput = z.input<typeof Organisation>;

export const OrganisationVersion = z.object({ version: z.number().int(), savedAt: z.string(), savedBy: z.string(), organisation: Organisation });

/** A roster entry as the API shows it (instants ISO, UTC). */
export const RosterEntryView = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string().nullable(),
  target: RosterTarget,
  from: z.string(),
  to: z.string(),
});
export type RosterEntryView = z.infer<typeof RosterEntryView>;

export const RosterQuery = z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) });

/** `POST /api/admin/roster/import` answer: all lines imported, or none and every error. */
export const RosterImportResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), imported: z.number().int(), replacedFrom: z.string(), replacedTo: z.string(), warnings: z.array(z.object({ line: z.number().int().nullable(), fr: z.string(), en: z.string() })) }),
  z.object({ ok: z.literal(false), errors: z.array(z.object({ line: z.number().int().nullable(), fr: z.string(), en: z.string() })) }),
]);
export type RosterImportResult = z.infer<typeof RosterImportResult>;

/** The routing simulator: "who would read this study, at that time". */
export const RoutingSimulation = z.object({
  callingAeTitle: z.string().trim().max(16).optional(),
  institutionName: z.string().trim().max(64).optional(),
  modalities: z.array(z.string().trim().min(1).max(16)).min(1, 'Give at least one modality, e.g. CT.'),
  at: z.iso.datetime({ offset: true }),
});
export type RoutingSimulation = z.infer<typeof RoutingSimulation>;

export const RoutingSimulationResult = z.object({
  outcome: z.enum(['routed', 'refused']),
  explanation: z.object({ fr: z.string(), en: z.string() }),
  requestingSiteId: z.string().nullable(),
  family: z.string(),
  target: z.object({ kind: z.enum(['pivot-group', 'provider']), id: z.string(), name: z.string() }).nullable(),
  onCall: z.array(z.object({ id: z.string(), name: z.string() })),
  refusal: z.object({ code: z.string(), text: z.object({ fr: z.string(), en: z.string() }) }).nullable(),
  period: z.object({ kind: z.string(), start: z.string(), end: z.string() }).nullable(),
});
export type RoutingSimulationResult = z.infer<typeof RoutingSimulationResult>;
