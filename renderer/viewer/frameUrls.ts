import type { InstanceRef } from '../../core/seriesOrder.js';

/** The hub's DICOMweb root as seen from the page (same origin: the session cookie travels, no token in the page). */
export function dicomWebRoot(): string {
  return `${globalThis.location.origin}/dicom-web`;
}

/** UIDs are digits and dots; encoding keeps a hostile metadata value from changing the path. */
function uidSegment(uid: string): string {
  return encodeURIComponent(uid);
}

/** A WADO-RS frame URL on the hub (what Cornerstone's `wadors:` image ids name). */
export function frameUrlOf(studyUid: string, seriesUid: string, instance: Pick<InstanceRef, 'sopInstanceUid' | 'frameNumber'>): string {
  return `${dicomWebRoot()}/studies/${uidSegment(studyUid)}/series/${uidSegment(seriesUid)}/instances/${uidSegment(instance.sopInstanceUid)}/frames/${instance.frameNumber}`;
}

/** The Accept header Cornerstone's WADO-RS loader sends for a frame: as stored, whatever the transfer syntax. */
export const FRAME_ACCEPT = 'multipart/related; type=application/octet-stream; transfer-syntax=*';
