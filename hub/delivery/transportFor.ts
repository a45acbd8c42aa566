import type { DeliveryEndpoint } from '../../core/site.js';
import { DicomWebTransport } from './dicomwebTransport.js';
import { DimseTransport } from './dimseTransport.js';
import type { DeliveryTransport } from './transport.js';

/** The transport a site's configured endpoint asks for. */
export function transportFor(endpoint: DeliveryEndpoint, callingAeTitle: string): DeliveryTransport {
  return endpoint.kind === 'dicomweb' ? new DicomWebTransport(endpoint.stowUrl) : new DimseTransport(endpoint, callingAeTitle);
}
