import { describe, expect, it } from 'vitest';
import type { WorkScreen } from '../../../renderer/app/appState.js';
import { hashOf, mayOpen, readsImages, screenFromHash } from '../../../renderer/app/screens.js';

describe('screens and their URL fragment', () => {
  const screens: WorkScreen[] = [
    { name: 'worklist' },
    { name: 'clinical-request', teleFileId: '2f1c9a52-3b7e-4c1d-9a0e-6d5b8f7e1a23' },
    { name: 'viewer', teleFileId: '2f1c9a52-3b7e-4c1d-9a0e-6d5b8f7e1a23' },
    { name: 'new-request' },
    { name: 'organisation' },
    { name: 'roster' },
    { name: 'simulator' },
    { name: 'deliveries' },
  ];

  it('go to a fragment and back', () => {
    for (const screen of screens) expect(screenFromHash(hashOf(screen))).toEqual(screen);
  });

  it('read anything unknown or malformed as the worklist', () => {
    for (const hash of ['', '#', '#/nope', '#/tele-files//request', '#/tele-files/%E0%A4%A/request', '#/tele-files/%E0%A4%A/viewer', '#/tele-files/x/viewer/extra', '#/admin']) {
      expect(screenFromHash(hash)).toEqual({ name: 'worklist' });
    }
  });

  it('open admin pages to admins, the request form to requesters and admins', () => {
    expect(mayOpen({ name: 'roster' }, ['radiologist'])).toBe(false);
    expect(mayOpen({ name: 'roster' }, ['admin'])).toBe(true);
    expect(mayOpen({ name: 'deliveries' }, ['radiologist'])).toBe(false);
    expect(mayOpen({ name: 'deliveries' }, ['admin'])).toBe(true);
    expect(mayOpen(screens[1]!, ['requester'])).toBe(true);
    expect(mayOpen(screens[1]!, ['radiologist'])).toBe(false);
    expect(mayOpen({ name: 'new-request' }, ['requester'])).toBe(true);
    expect(mayOpen({ name: 'new-request' }, ['admin'])).toBe(true);
    expect(mayOpen({ name: 'new-request' }, ['radiologist'])).toBe(false);
    expect(mayOpen({ name: 'viewer', teleFileId: 'x' }, ['radiologist'])).toBe(true);
    expect(mayOpen({ name: 'viewer', teleFileId: 'x' }, ['neuroradiologist'])).toBe(true);
    expect(mayOpen({ name: 'viewer', teleFileId: 'x' }, ['admin'])).toBe(true);
    expect(mayOpen({ name: 'viewer', teleFileId: 'x' }, ['requester'])).toBe(false);
    expect(readsImages(['admin'])).toBe(false);
    expect(readsImages(['neuroradiologist'])).toBe(true);
  });
});
