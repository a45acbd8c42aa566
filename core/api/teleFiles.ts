import { z } from 'zod';
import { DeliveryStatus } from './reports.js';
import { ModalityFamily } from '../modalityFamily.js';
import { TeleFileStatus } from '../teleFile.js';

export const PRIORITIES = ['vital', 'urgent', 'standard'] as const;
/** Vital emergency (urgence vitale), urgent, standard: set by the requesting emergency physician. */
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const LocalizedText = z.object({ fr: z.string(), en: z.string() });

export const TeleFileTarget = z.object({ kind: z.enum(['pivot-group', 'provider']), id: z.string(), name: z.string() });

/** What a reader sees of a tele-file on the worklist. Patient fields are PHI: sent only to people who may see the file. */
export const TeleFileSummary = z.object({
  id: z.string(),
  status: TeleFileStatus,
  /** Null until the clinical request arrives. */
  priority: Priority.nullable(),
  requestingSite: z.object({ id: z.string(), name: z.string() }).nullable(),
  modalities: z.array(z.string()),
  modalityFamily: ModalityFamily,
  bodyPart: z.string().nullable(),
  studyDescription: z.string().nullable(),
  clinicalQuestion: z.string().nullable(),
  /** The clinical context from the request (what the report's indication starts from). */
  clinicalIndication: z.string().nullable().default(null),
  /** When the last image arrived at the pivot PACS (ISO, UTC): the age timer starts here. Null while waiting for images. */
  imagesReceivedAt: z.string().nullable(),
  numberOfInstances: z.number().int(),
  requestReceived: z.boolean(),
  target: TeleFileTarget.nullable(),
  assignee: z.object({ id: z.string(), username: z.string(), displayName: z.string() }).nullable(),
  claimedAt: z.string().nullable(),
  refusal: z.object({ code: z.string(), text: LocalizedText }).nullable(),
  routingExplanation: LocalizedText.nullable(),
  patient: z.object({
    name: z.string(),
    sex: z.string().nullable(),
    birthDate: z.string().nullable(),
    patientId: z.string(),
    issuer: z.string(),
  }),
  /** Null while a request announced before its images waits for them (then `imagesReceivedAt` is null too). */
  studyInstanceUid: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Increases with every change; the live feed's events carry it. */
  version: z.number().int(),
  /** Where the signed report and its addenda stand on their way to the site (null before signing). */
  delivery: DeliveryStatus.nullable().default(null),
  /**
   * The WADO-RS path of the frame the viewer opens on, once the hub has it
   * ready (null otherwise): opening the file asks for it at once, alongside
   * the metadata. A hint — the viewer's own order decides what is shown.
   */
  firstFramePath: z.string().nullable().default(null),
});
export type TeleFileSummary = z.infer<typeof TeleFileSummary>;

export const TeleFileWorklist = z.object({
  items: z.array(TeleFileSummary),
  asOf: z.string(),
  /** Pass as `Last-Event-ID` (or `?since=`) to the live feed to get every change after this list. */
  cursor: z.string(),
});
export type TeleFileWorklist = z.infer<typeof TeleFileWorklist>;

/**
 * Live feed `GET /api/worklist/events` (text/event-stream). Each SSE message
 * has `id: <cursor>` and `event: tele-file` with data `TeleFileChange`;
 * `event: reset` (data `{}`) means "reload the list" (the resume point is too old).
 */
export const TeleFileChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), teleFile: TeleFileSummary }),
  /** No longer visible to this reader (claimed elsewhere out of their pools, cancelled…). */
  z.object({ kind: z.literal('remove'), id: z.string() }),
]);
export type TeleFileChange = z.infer<typeof TeleFileChange>;

export const PHONE = /^[+0-9][0-9 .()-]{5,24}$/;

/** The requesting emergency physician's clinical request. */
export const ClinicalRequest = z.object({
  indication: z.string().trim().min(1, 'Give the clinical context.').max(2000, 'The indication has at most 2000 characters.'),
  question: z.string().trim().min(1, 'Say what the radiologist should answer.').max(1000, 'The question has at most 1000 characters.'),
  priority: Priority,
  contactPhone: z.string().trim().regex(PHONE, 'Give a phone number the radiologist can call, e.g. 03 22 66 80 00.'),
  requestedBy: z.string().trim().min(1, 'Give the name of the requesting physician.').max(120),
});
export type ClinicalRequest = z.infer<typeof ClinicalRequest>;

/** DICOM value limits of the announced study's identifiers (PS3.5 6.2: SH 16, LO 64, PN 64 per group, CS 16). */
export const ANNOUNCED_STUDY_MAX = { accessionNumber: 16, patientId: 64, patientName: 64, modality: 16 } as const;

const noBackslash = (value: string) => !value.includes('\\');

/**
 * A clinical request sent before the images (request first): the requesting
 * site's emergency physician announces the study. The hub creates the
 * tele-file at once, waiting for its images; the study that later reaches the
 * pivot PACS with the same accession number, from the same site's patient
 * namespace and for the same patient ID, is attached to it.
 */
export const AnnouncedRequest = ClinicalRequest.extend({
  /** The requesting site's id in the organisation (e.g. `ch-montdidier`). */
  requestingSiteId: z.string().trim().min(1, 'Choose the requesting site.').max(63, 'This is not a site id (e.g. ch-montdidier).'),
  /** (0008,0050) as the site's RIS gives it to the modality: how the images are matched to this request. */
  accessionNumber: z
    .string()
    .trim()
    .min(1, 'Give the accession number: the images are matched to this request by it.')
    .max(ANNOUNCED_STUDY_MAX.accessionNumber, 'An accession number has at most 16 characters (DICOM SH).')
    .refine(noBackslash, 'An accession number has no backslash (DICOM SH).'),
  /** The patient ID (IPP) at the requesting site; its issuer is the site's. */
  patientId: z
    .string()
    .trim()
    .min(1, 'Give the patient ID (IPP) at the requesting site.')
    .max(ANNOUNCED_STUDY_MAX.patientId, 'A patient ID has at most 64 characters (DICOM LO).')
    .refine(noBackslash, 'A patient ID has no backslash (DICOM LO).'),
  /** DICOM PN (`DUPONT^JEAN`) or "Nom Prénom"; the study's own name replaces it when the images arrive. */
  patientName: z
    .string()
    .trim()
    .max(ANNOUNCED_STUDY_MAX.patientName, 'A patient name has at most 64 characters (DICOM PN).')
    .refine(noBackslash, 'A patient name has no backslash (DICOM PN).')
    .optional(),
  /** The DICOM modality of the study to come, e.g. CT, MR, DX. */
  modality: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z0-9_]{1,16}$/, 'Give the DICOM modality, e.g. CT, MR or DX.'),
});
export type AnnouncedRequest = z.infer<typeof AnnouncedRequest>;

/** The requesting sites this person may announce requests for (`GET /api/me/requesting-sites`). */
export const RequestingSiteList = z.object({ sites: z.array(z.object({ id: z.string(), name: z.string() })) });
export type RequestingSiteList = z.infer<typeof RequestingSiteList>;

export const ReassignRequest = z.object({
  toUsername: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(3, 'Say why the tele-file is reassigned.').max(500),
});

export const TeleFileIdParams = z.object({ id: z.uuid('This is not a tele-file id.') });
