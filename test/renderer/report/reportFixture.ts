import { EMPTY_CONTENT, NO_CRITICAL_FINDING, type ReportView } from '../../../core/api/reports.js';

/** A report as the hub sends it; tests override what they look at. */
export function reportView(overrides: Partial<ReportView> = {}): ReportView {
  return {
    id: '7d0c1b7e-2f4a-4a43-9a6f-0d6f5e3b2a10',
    teleFileId: '2f1c9a52-3b7e-4c1d-9a0e-6d5b8f7e1a23',
    kind: 'report',
    predecessorId: null,
    status: 'draft',
    content: { ...EMPTY_CONTENT },
    critical: NO_CRITICAL_FINDING,
    templateId: null,
    version: 1,
    updatedAt: '2026-01-15T02:12:00.000Z',
    updatedBy: { id: 'u1', displayName: 'Dr Martin' },
    lastClientId: 'tab-aaaaaaaa',
    signedAt: null,
    signer: null,
    documents: null,
    delivery: null,
    ...overrides,
  };
}
