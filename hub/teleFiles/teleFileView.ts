import type { DeliveryStatus } from '../../core/api/reports.js';
import type { TeleFileSummary } from '../../core/api/teleFiles.js';
import type { ModalityFamily } from '../../core/modalityFamily.js';
import type { TeleFileRow } from './teleFileStore.js';

export interface PersonName {
  username: string;
  displayName: string;
}

/** A tele-file row as the client sees it. Contains PHI: only for people `canSee` allows. */
export function toTeleFileSummary(row: TeleFileRow, people: ReadonlyMap<string, PersonName>, siteNames: ReadonlyMap<string, string>, deliveries: ReadonlyMap<string, DeliveryStatus> = new Map()): TeleFileSummary {
  const assignee = row.assignee_id ? people.get(row.assignee_id) : undefined;
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    status: row.status,
    priority: row.priority,
    requestingSite: row.requesting_site_id ? { id: row.requesting_site_id, name: siteNames.get(row.requesting_site_id) ?? row.requesting_site_id } : null,
    modalities: row.modalities,
    modalityFamily: row.modality_family as ModalityFamily,
    bodyPart: row.body_part,
    studyDescription: row.study_description,
    clinicalQuestion: row.question,
    clinicalIndication: row.indication,
    imagesReceivedAt: iso(row.images_received_at),
    numberOfInstances: row.number_of_instances,
    requestReceived: row.request_received_at !== null,
    target: row.target_kind && row.target_id ? { kind: row.target_kind, id: row.target_id, name: row.target_name ?? row.target_id } : null,
    assignee: row.assignee_id ? { id: row.assignee_id, username: assignee?.username ?? '?', displayName: assignee?.displayName ?? '?' } : null,
    claimedAt: iso(row.claimed_at),
    refusal: row.refusal_code ? { code: row.refusal_code, text: { fr: row.refusal_fr ?? '', en: row.refusal_en ?? '' } } : null,
    routingExplanation: row.routing_fr ? { fr: row.routing_fr, en: row.routing_en ?? row.routing_fr } : null,
    patient: { name: row.patient_name, sex: row.patient_sex, birthDate: row.patient_birth_date, patientId: row.patient_id, issuer: row.issuer },
    studyInstanceUid: row.study_instance_uid,
    accessionNumber: row.accession_number,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    version: row.version,
    delivery: deliveries.get(row.id) ?? null,
    firstFramePath: null,
  };
}
