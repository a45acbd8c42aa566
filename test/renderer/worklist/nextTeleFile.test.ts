import { describe, expect, it } from 'vitest';
import { nextTeleFile } from '../../../renderer/worklist/nextTeleFile.js';
import { teleFile } from '../teleFileFixture.js';

const me = { id: 'u-me', username: 'dr.me', displayName: 'Dr Me' };
const other = { id: 'u-other', username: 'dr.other', displayName: 'Dr Other' };

describe('the next tele-file to read', () => {
  it('is my next claimed file in priority order, wrapping round, never the current one', () => {
    const urgent = teleFile({ status: 'claimed', assignee: me, priority: 'vital', imagesReceivedAt: '2026-01-15T01:10:00.000Z' });
    const standardOld = teleFile({ status: 'claimed', assignee: me, priority: 'standard', imagesReceivedAt: '2026-01-15T00:10:00.000Z' });
    const standardNew = teleFile({ status: 'reading', assignee: me, priority: 'standard', imagesReceivedAt: '2026-01-15T01:20:00.000Z' });
    const items = [standardNew, standardOld, urgent];
    expect(nextTeleFile(items, me.id, urgent.id)?.id).toBe(standardOld.id);
    expect(nextTeleFile(items, me.id, standardOld.id)?.id).toBe(standardNew.id);
    expect(nextTeleFile(items, me.id, standardNew.id)?.id).toBe(urgent.id);
  });

  it('skips files of others, unclaimed, finished or still without images', () => {
    const current = teleFile({ status: 'claimed', assignee: me });
    const items = [
      current,
      teleFile({ status: 'claimed', assignee: other }),
      teleFile({ status: 'routed' }),
      teleFile({ status: 'signed', assignee: me }),
      teleFile({ status: 'claimed', assignee: me, studyInstanceUid: null, imagesReceivedAt: null }),
    ];
    expect(nextTeleFile(items, me.id, current.id)).toBeNull();
  });

  it('starts at my first file when the current one is not mine (an admin looking)', () => {
    const mine = teleFile({ status: 'claimed', assignee: me });
    expect(nextTeleFile([mine], me.id, 'not-in-the-list')?.id).toBe(mine.id);
  });
});
