import type { TeleFileSummary } from '../../core/api/teleFiles.js';

let next = 1;

/** A tele-file as the hub sends it on the worklist; each test states only what it is about. */
export function teleFile(overrides: Partial<TeleFileSummary> = {}): TeleFileSummary {
  const n = next++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    status: 'routed',
    priority: 'standard',
    requestingSite: { id: 'ch-montdidier', name: 'CH Montdidier' },
    modalities: ['CT'],
    modalityFamily: 'cross-sectional',
    bodyPart: 'HEAD',
    studyDescription: 'TDM cérébrale',
    clinicalQuestion: 'Hématome ?',
    imagesReceivedAt: '2026-01-15T01:00:00.000Z',
    numberOfInstances: 120,
    requestReceived: true,
    target: { kind: 'pivot-group', id: 'amiens', name: 'Amiens–Abbeville' },
    assignee: null,
    claimedAt: null,
    refusal: null,
    routingExplanation: null,
    patient: { name: 'DUPONT^JEAN', sex: 'M', birthDate: '19580312', patientId: `P${n}`, issuer: 'CHM' },
    studyInstanceUid: `1.2.826.0.1.${n}`,
    accessionNumber: null,
    createdAt: '2026-01-15T00:59:00.000Z',
    updatedAt: '2026-01-15T01:00:00.000Z',
    version: 1,
    delivery: null,
    clinicalIndication: null,
    firstFramePath: null,
    ...overrides,
  };
}
