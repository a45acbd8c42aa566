import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../../hub/delivery/deliveryError.js';

describe('a delivery failure in words an admin can act on', () => {
  it('reads the socket error code from the error, its cause, or (dcmjs-dimse) its text', () => {
    expect(describeNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), '10.0.0.1:104').message).toBe("The site's PACS does not answer (connection refused at 10.0.0.1:104).");
    expect(describeNetworkError(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }), 'pacs.example:443').message).toMatch(/cannot be resolved/);
    expect(describeNetworkError(new Error('-> Connection error: connect ECONNREFUSED 127.0.0.1:4242'), '127.0.0.1:4242').message).toBe("The site's PACS does not answer (connection refused at 127.0.0.1:4242).");
    expect(describeNetworkError(new Error('association rejected'), 'h:1').message).toBe('Delivery to h:1 failed: association rejected');
  });
});
