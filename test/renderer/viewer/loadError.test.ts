import { describe, expect, it } from 'vitest';
import { describeLoadError } from '../../../renderer/viewer/cornerstone/loadError.js';

describe('why an image cannot be shown', () => {
  it('names the HTTP failure from an XHR-shaped error', () => {
    expect(describeLoadError({ request: { status: 403 } })).toBe('the hub refused access to this study (HTTP 403)');
    expect(describeLoadError({ status: 503 })).toBe('the PACS is not responding (HTTP 503)');
    expect(describeLoadError({ xhr: { status: 418 } })).toBe('the hub answered an error (HTTP 418)');
  });

  it('keeps a decoder message, unwrapping nested errors, trimmed and bounded', () => {
    expect(describeLoadError(new Error('  no decoder for transfer syntax 1.2.840.10008.1.2.4.100  '))).toBe('no decoder for transfer syntax 1.2.840.10008.1.2.4.100');
    expect(describeLoadError({ error: new Error('JPEG-LS: invalid marker') })).toBe('JPEG-LS: invalid marker');
    expect(describeLoadError(new Error('x'.repeat(1000)))).toHaveLength(300);
    expect(describeLoadError('decode failed')).toBe('decode failed');
  });

  it('is never empty', () => {
    for (const value of [null, undefined, {}, new Error(''), 42]) expect(describeLoadError(value)).toBe('unknown error while loading the image');
  });
});
