import dimse from 'dcmjs-dimse';
import { DeliveryError, describeNetworkError } from './deliveryError.js';
import type { DocumentIdentity } from './documentIdentity.js';
import type { DeliveryTransport } from './transport.js';

const { Client, Dataset } = dimse;
const { CFindRequest, CStoreRequest } = dimse.requests;
const { Status } = dimse.constants;

// dcmjs-dimse logs every PDU through loglevel; the hub logs what matters itself.
dimse.log.setLevel('silent');

type Request = InstanceType<typeof CFindRequest> | InstanceType<typeof CStoreRequest>;
type Response = { getStatus(): number; getErrorComment(): string; hasDataset(): boolean; getDataset(): { getElement(tag: string): unknown } | undefined };

export interface DimseEndpoint {
  calledAeTitle: string;
  host: string;
  port: number;
}

// Connect, association and PDU timeouts; a whole association is cut at 25 s. An attempt makes up to four
// associations (already there? study owner? store, verify): 100 s, inside the 2-minute claim lease.
const TIMEOUT_MS = 10_000;
const ASSOCIATION_LIMIT_MS = 25_000;

// PS3.7 C.4.2.1.4: warnings (coercion, elements discarded) still mean "stored".
const STORE_OK = new Set([0x0000, 0xb000, 0xb006, 0xb007]);

/** `_fromP10Buffer` is dcmjs-dimse's own reader behind Dataset.fromFile: the bytes need not touch the disk. */
function datasetOf(bytes: Uint8Array): InstanceType<typeof Dataset> {
  const fromP10 = (Dataset as unknown as { _fromP10Buffer?: (buffer: Buffer) => InstanceType<typeof Dataset> })._fromP10Buffer;
  if (typeof fromP10 !== 'function') throw new DeliveryError('This version of dcmjs-dimse cannot read a document from memory.', true);
  return fromP10.call(Dataset, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/**
 * DIMSE to the site's PACS: C-STORE to send, C-FIND to check (IMAGE level by
 * SOP Instance UID; STUDY level for the study's patient ID). The site must
 * accept C-FIND from the hub's AE title.
 */
export class DimseTransport implements DeliveryTransport {
  readonly description: string;

  constructor(
    private readonly endpoint: DimseEndpoint,
    private readonly callingAeTitle: string,
  ) {
    this.description = `${endpoint.calledAeTitle}@${endpoint.host}:${endpoint.port}`;
  }

  /** One association carrying one request; resolves with the responses once the association is released. */
  private run(request: Request): Promise<Response[]> {
    const where = `${this.endpoint.host}:${this.endpoint.port}`;
    return new Promise((resolve, reject) => {
      const responses: Response[] = [];
      let failure: DeliveryError | null = null;
      const client = new Client();
      request.on('response', (response: Response) => responses.push(response));
      client.addRequest(request);
      client.on('networkError', (error: Error) => (failure ??= describeNetworkError(error, where)));
      client.on('associationRejected', (result: { reason?: number }) => {
        failure ??= new DeliveryError(`The site's PACS refused the DICOM association (called AE title ${this.endpoint.calledAeTitle}, calling ${this.callingAeTitle}, reason ${String(result?.reason ?? 'unknown')}): check that it knows the hub's AE title.`);
      });
      const timer = setTimeout(() => {
        failure ??= new DeliveryError(`The site's PACS did not answer in time (${where}).`);
        try {
          client.abort();
        } catch {
          // Already closed.
        }
        reject(failure);
      }, ASSOCIATION_LIMIT_MS);
      client.on('closed', () => {
        clearTimeout(timer);
        if (failure) reject(failure);
        else resolve(responses);
      });
      client.send(this.endpoint.host, this.endpoint.port, this.callingAeTitle, this.endpoint.calledAeTitle, { connectTimeout: TIMEOUT_MS, associationTimeout: TIMEOUT_MS, pduTimeout: TIMEOUT_MS });
    });
  }

  private async find(request: InstanceType<typeof CFindRequest>): Promise<Array<{ getElement(tag: string): unknown }>> {
    const responses = await this.run(request);
    const final = responses.at(-1);
    if (!final) throw new DeliveryError(`The site's PACS gave no answer to a search (${this.description}): it may not accept C-FIND from the hub.`);
    if (final.getStatus() !== Status.Success) {
      throw new DeliveryError(`The site's PACS refused a search (C-FIND status 0x${final.getStatus().toString(16)}${final.getErrorComment() ? `: ${final.getErrorComment()}` : ''}, ${this.description}).`);
    }
    return responses.filter((r) => r.getStatus() === Status.Pending && r.hasDataset()).flatMap((r) => (r.getDataset() ? [r.getDataset() as { getElement(tag: string): unknown }] : []));
  }

  async hasInstance(document: DocumentIdentity): Promise<boolean> {
    const found = await this.find(CFindRequest.createImageFindRequest({ StudyInstanceUID: document.studyInstanceUid, SOPInstanceUID: document.sopInstanceUid }));
    return found.some((d) => String(d.getElement('SOPInstanceUID') ?? '').trim() === document.sopInstanceUid);
  }

  async studyPatientIds(studyInstanceUid: string): Promise<string[]> {
    const found = await this.find(CFindRequest.createStudyFindRequest({ StudyInstanceUID: studyInstanceUid, PatientID: '' }));
    return found.filter((d) => String(d.getElement('StudyInstanceUID') ?? studyInstanceUid).trim() === studyInstanceUid).map((d) => String(d.getElement('PatientID') ?? '').trim());
  }

  async send(bytes: Uint8Array, document: DocumentIdentity): Promise<void> {
    const responses = await this.run(new CStoreRequest(datasetOf(bytes)));
    const answer = responses.at(-1);
    if (!answer) throw new DeliveryError(`The site's PACS did not take the document (no C-STORE answer from ${this.description}): it may not accept this kind of document (SOP class ${document.sopClassUid}).`);
    if (!STORE_OK.has(answer.getStatus())) {
      throw new DeliveryError(`The site's PACS refused the document (C-STORE status 0x${answer.getStatus().toString(16)}${answer.getErrorComment() ? `: ${answer.getErrorComment()}` : ''}, ${this.description}).`);
    }
  }
}
