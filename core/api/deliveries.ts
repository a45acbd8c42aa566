import { z } from 'zod';
import { DeliveryState } from './reports.js';

/**
 * Delivery of signed reports to the requesting sites (issue 6), admin side.
 *
 *   GET  /api/admin/deliveries?state=            → DeliveryJobList (jobs needing attention: retrying, failed, stopped; or one state)
 *   POST /api/admin/deliveries/:id/retry         → DeliveryJobView (failed or stopped → pending now; a guard stop is re-checked first: 409 while the cause remains)
 *   GET  /api/admin/alerts?open=true             → AdminAlertList (newest first)
 *   POST /api/admin/alerts/:id/acknowledge       → AdminAlertView
 */

export const DOCUMENT_KINDS = ['sr', 'pdf', 'hl7'] as const;
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** States an admin looks at: the worker is still trying, or a person must act. */
export const ATTENTION_STATES = ['retrying', 'failed', 'stopped'] as const;

export const DeliveryJobQuery = z.object({ state: DeliveryState.optional() });
export type DeliveryJobQuery = z.infer<typeof DeliveryJobQuery>;

export const DeliveryJobView = z.object({
  id: z.string(),
  reportId: z.string(),
  teleFileId: z.string(),
  siteId: z.string(),
  kind: DocumentKind,
  state: DeliveryState,
  attempts: z.number().int(),
  /** The last failure, in words a person can act on. */
  lastError: z.string().nullable(),
  /** Why a guard stopped the job (never retried until an admin asks and the cause is gone). */
  stoppedReason: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type DeliveryJobView = z.infer<typeof DeliveryJobView>;

export const DeliveryJobList = z.object({ jobs: z.array(DeliveryJobView) });
export type DeliveryJobList = z.infer<typeof DeliveryJobList>;

export const DeliveryJobParams = z.object({ id: z.uuid('This is not a delivery job id.') });

export const AlertSeverity = z.enum(['info', 'warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AdminAlertView = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  severity: AlertSeverity,
  message: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type AdminAlertView = z.infer<typeof AdminAlertView>;

export const AdminAlertList = z.object({ alerts: z.array(AdminAlertView) });
export type AdminAlertList = z.infer<typeof AdminAlertList>;

export const AdminAlertQuery = z.object({ open: z.enum(['true', 'false']).optional() });

export const AdminAlertParams = z.object({ id: z.uuid('This is not an alert id.') });
