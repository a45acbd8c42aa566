/**
 * Helpers of the reporting and delivery e2e tests (issue 6): an HTTP client
 * that can PUT, the organisation pointed at a site Orthanc, a demo study
 * stored into the pivot and its tele-file, and what the site Orthanc holds.
 */
import { createRequire } from 'node:module';
import { writeFile } from 'node:fs/promises';
import type * as DicomParser from 'dicom-parser';
import type { Organisation } from '../../../core/api/organisation.js';
import type { ReportList, ReportView, SaveDraftRequest } from '../../../core/api/reports.js';
import type { TeleFileWorklist } from '../../../core/api/teleFiles.js';
import type { DeliveryEndpoint } from '../../../core/site.js';
import type { DemoStudySummary } from '../../../hub/demo/demoStudies.js';
import { apiSignIn } from '../apiSignIn.js';
import type { HubProcess } from '../../harness/hub.js';
import { orthancGetJson, storeWithStorescu, type OrthancServer } from '../../harness/orthanc.js';
import { waitFor } from '../../harness/waitFor.js';
import { dcmFiles } from '../../hub/pacs/pacsTestSupport.js';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

export const SR_CLASSES = new Set(['1.2.840.10008.5.1.4.1.1.88.11', '1.2.840.10008.5.1.4.1.1.88.22', '1.2.840.10008.5.1.4.1.1.88.33']);
export const ENCAPSULATED_PDF = '1.2.840.10008.5.1.4.1.1.104.1';

export interface ApiAnswer {
  status: number;
  json: unknown;
}

/** One person signed in over HTTP, with every verb the reporting API needs. */
export class Api {
  private constructor(
    readonly baseUrl: string,
    readonly username: string,
    readonly cookie: string,
  ) {}

  static async signIn(hub: HubProcess, username: string): Promise<Api> {
    const account = await hub.account(username);
    const { cookie } = await apiSignIn(hub.url, account.username, account.password);
    return new Api(hub.url, username, cookie);
  }

  /** The same person on another hub address (after a restart the session is still in the database). */
  at(baseUrl: string): Api {
    return new Api(baseUrl, this.username, this.cookie);
  }

  async request(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let json: unknown = text;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the failure message.
    }
    return { status: response.status, json };
  }

  /** A request that must answer `expected`; the body is returned as T. */
  async ok<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const answer = await this.request(method, path, body);
    if (!expected.includes(answer.status)) throw new Error(`${method} ${path} as ${this.username} answered ${answer.status}: ${JSON.stringify(answer.json).slice(0, 500)}`);
    return answer.json as T;
  }

  get<T>(path: string): Promise<T> {
    return this.ok<T>('GET', path);
  }
}

/** Points a requesting site's delivery at `endpoint`, keeping everything else of the organisation in force. */
export async function setSiteDelivery(admin: Api, siteId: string, endpoint: DeliveryEndpoint): Promise<Organisation> {
  const organisation = await admin.get<Organisation>('/api/admin/organisation');
  const site = organisation.sites.find((s) => s.id === siteId);
  if (site?.kind !== 'requesting') throw new Error(`no requesting site ${siteId} in the organisation`);
  const next: Organisation = { ...organisation, sites: organisation.sites.map((s) => (s.id === siteId && s.kind === 'requesting' ? { ...s, delivery: endpoint } : s)) };
  return admin.ok<Organisation>('PUT', '/api/admin/organisation', next);
}

export function dicomWebEndpoint(site: OrthancServer): DeliveryEndpoint {
  return { kind: 'dicomweb', stowUrl: `${site.dicomWebUrl}/studies` };
}

export function dimseEndpoint(site: OrthancServer): DeliveryEndpoint {
  return { kind: 'dimse', calledAeTitle: site.aet, host: '127.0.0.1', port: site.dicomPort };
}

/** Stores a demo study into the pivot as `callingAet` and waits for its tele-file; returns the tele-file id. */
export async function storeAndAwaitTeleFile(pivot: OrthancServer, admin: Api, study: DemoStudySummary, callingAet: string, timeoutMs = 30_000): Promise<string> {
  await storeWithStorescu(pivot, await dcmFiles(study.folder), { callingAet });
  const item = await waitFor(async () => (await admin.get<TeleFileWorklist>('/api/worklist')).items.find((f) => f.studyInstanceUid === study.studyInstanceUid), {
    what: `the tele-file of ${study.description} (${study.studyInstanceUid})`,
    timeoutMs,
    intervalMs: 200,
  });
  return item.id;
}

export const CLINICAL_REQUEST = {
  indication: 'Chute de sa hauteur sous anticoagulant, céphalées',
  question: 'Hématome intracrânien ?',
  priority: 'urgent',
  contactPhone: '03 22 66 80 00',
  requestedBy: 'Dr Léa Martin',
} as const;

export async function submitClinicalRequest(requester: Api, teleFileId: string, request: Record<string, unknown> = CLINICAL_REQUEST): Promise<void> {
  await requester.ok('POST', `/api/tele-files/${teleFileId}/request`, request);
}

export async function reportsOf(api: Api, teleFileId: string): Promise<ReportView[]> {
  return (await api.get<ReportList>(`/api/tele-files/${teleFileId}/reports`)).reports;
}

/** A client id as a browser tab makes one. */
export function tabId(label: string): string {
  return `test-${label}-${Math.random().toString(36).slice(2, 10)}`;
}

export function draftRequest(conclusion: string, baseVersion: number, clientId: string, extra: Partial<SaveDraftRequest['content']> = {}): SaveDraftRequest {
  return {
    content: { indication: CLINICAL_REQUEST.question, technique: 'Scanner cérébral sans injection.', findings: 'Pas d’anomalie décelée.', conclusion, ...extra },
    critical: { flagged: false, communication: { to: '', means: null, at: null } },
    templateId: null,
    baseVersion,
    clientId,
  };
}

export interface SiteInstance {
  orthancId: string;
  sopInstanceUid: string;
  sopClassUid: string;
  patientId: string;
  seriesInstanceUid: string;
}

/** Every instance the site Orthanc holds in one study (none when it does not hold the study). */
export async function siteInstances(site: OrthancServer, studyInstanceUid: string): Promise<SiteInstance[]> {
  const response = await fetch(`${site.httpUrl}/tools/find`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Level: 'Instance', Query: { StudyInstanceUID: studyInstanceUid } }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`site Orthanc /tools/find answered ${response.status}`);
  const ids = (await response.json()) as string[];
  return Promise.all(
    ids.map(async (id) => {
      const tags = await orthancGetJson<Record<string, string>>(site, `/instances/${id}/simplified-tags`);
      return { orthancId: id, sopInstanceUid: tags.SOPInstanceUID ?? '', sopClassUid: tags.SOPClassUID ?? '', patientId: tags.PatientID ?? '', seriesInstanceUid: tags.SeriesInstanceUID ?? '' };
    }),
  );
}

/** Downloads one instance from the site Orthanc as its Part-10 file, written to `file`. */
export async function downloadInstance(site: OrthancServer, orthancId: string, file: string): Promise<Uint8Array> {
  const response = await fetch(`${site.httpUrl}/instances/${orthancId}/file`, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`site Orthanc /instances/${orthancId}/file answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  await writeFile(file, bytes);
  return bytes;
}

function parse(bytes: Uint8Array): DicomParser.DataSet {
  try {
    return dicomParser.parseDicom(bytes);
  } catch (error) {
    throw new Error(`dicom-parser: ${error instanceof Error ? error.message : JSON.stringify((error as { exception?: unknown })?.exception ?? error)}`, { cause: error });
  }
}

/** The bytes of (0042,0011) Encapsulated Document, without the trailing pad byte after %%EOF. */
export function encapsulatedDocument(bytes: Uint8Array): Uint8Array {
  const dataSet = parse(bytes);
  const element = dataSet.elements.x00420011;
  if (!element) throw new Error('no Encapsulated Document (0042,0011)');
  const documentBytes = bytes.slice(element.dataOffset, element.dataOffset + element.length);
  return documentBytes.at(-1) === 0 ? documentBytes.slice(0, -1) : documentBytes;
}

/** The SOP Instance UIDs named by (0040,A360) Predecessor Documents Sequence → (0008,1115) → (0008,1199) → (0008,1155). */
export function predecessorSopInstanceUids(bytes: Uint8Array): string[] {
  const dataSet = parse(bytes);
  const uids: string[] = [];
  for (const study of dataSet.elements.x0040a360?.items ?? []) {
    for (const series of study.dataSet?.elements.x00081115?.items ?? []) {
      for (const sop of series.dataSet?.elements.x00081199?.items ?? []) {
        const uid = sop.dataSet?.string('x00081155');
        if (uid) uids.push(uid);
      }
    }
  }
  return uids;
}
