import { NO_CRITICAL_FINDING, type ReportContent } from '../../../core/api/reports.js';

/** A complete French report, as a reader would save it. */
export const COMPLETE: ReportContent = {
  indication: 'Chute de sa hauteur sous anticoagulant. Hématome intracrânien ?',
  technique: 'Acquisition hélicoïdale de l’encéphale sans injection.',
  findings: 'Pas d’hématome intra- ou extra-axial.',
  conclusion: 'Pas de lésion intracrânienne traumatique décelée.',
};

/** A draft save body (SaveDraftRequest) from one tab. */
export function draftBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { content: COMPLETE, critical: NO_CRITICAL_FINDING, templateId: 'head-ct-trauma', baseVersion: 0, clientId: 'tab-aaaaaaaa', ...overrides };
}
