import { isDicomJsonArray, type DicomJsonDataset } from './dicomJson.js';
import { PacsNotFoundError, PacsResponseError } from './pacsErrors.js';
import type { PacsHttpClient } from './pacsHttpClient.js';

/** What DICOMweb JSON answers are asked as (some archives only answer application/json). */
export const DICOM_JSON_ACCEPT = 'application/dicom+json, application/json;q=0.9';

/** GET a DICOM JSON array (QIDO-RS or WADO-RS metadata); [] for 204 No Content. */
export async function fetchDicomJson(client: PacsHttpClient, path: string, notFound: string): Promise<DicomJsonDataset[]> {
  const answer = await client.json({ path, accept: DICOM_JSON_ACCEPT, notFound });
  if (answer === null) return [];
  if (!isDicomJsonArray(answer)) throw new PacsResponseError(client.displayUrl(path), 'not an array of DICOM JSON datasets');
  return answer;
}

/** The WADO-RS metadata of one instance (UIDs already checked by the caller). */
export async function fetchInstanceMetadata(client: PacsHttpClient, studyUid: string, seriesUid: string, sopUid: string): Promise<DicomJsonDataset> {
  const path = `/studies/${studyUid}/series/${seriesUid}/instances/${sopUid}/metadata`;
  const [dataset] = await fetchDicomJson(client, path, `instance ${sopUid}`);
  if (dataset === undefined) throw new PacsNotFoundError(`instance ${sopUid}`, client.displayUrl(path));
  return dataset;
}
