import { describe, expect, it } from 'vitest';
import { isLoaderRejection } from '../../../renderer/viewer/cornerstone/loaderRejections.js';

describe('which unhandled rejections are the image loader’s own (already reported in the cell)', () => {
  it('are empty reasons, XHR-like failures and decode-worker errors', () => {
    expect(isLoaderRejection(undefined)).toBe(true);
    expect(isLoaderRejection({ request: {}, response: null })).toBe(true);
    expect(isLoaderRejection({ status: 400 })).toBe(true);
    const decode = new Error('unsupported pixel format for RLE');
    decode.stack = 'Error: unsupported pixel format for RLE\n    at Object.decodeTask (http://h/assets/decodeImageFrameWorker-x.js:14:1)';
    expect(isLoaderRejection(decode)).toBe(true);
  });

  it('are not the viewer’s own bugs', () => {
    expect(isLoaderRejection(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isLoaderRejection('a string')).toBe(false);
    expect(isLoaderRejection({ message: 'plain object' })).toBe(false);
  });
});
