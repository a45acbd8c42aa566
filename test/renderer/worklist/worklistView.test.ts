import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  applyChange,
  comparatorFor,
  matchesView,
  moveSelection,
  readStoredView,
  refusedRows,
  rowAction,
  sitesOf,
  storeView,
  visibleRows,
  type WorklistView,
} from '../../../renderer/worklist/worklistView.js';
import { teleFile } from '../teleFileFixture.js';

const ME = 'u-me';
const me = { id: ME, username: 'dr.me', displayName: 'Dr Moi' };
const other = { id: 'u-other', username: 'dr.x', displayName: 'Dr X' };
const at = (hhmm: string) => `2026-01-15T${hhmm}:00.000Z`;

describe('the default order: priority, then the oldest first', () => {
  it('puts vital before urgent before a pending request before standard, each oldest first', () => {
    const rows = [
      teleFile({ id: 'standard-old', priority: 'standard', imagesReceivedAt: at('00:10') }),
      teleFile({ id: 'pending', priority: null, requestReceived: false, imagesReceivedAt: at('01:00') }),
      teleFile({ id: 'urgent-new', priority: 'urgent', imagesReceivedAt: at('02:00') }),
      teleFile({ id: 'vital-new', priority: 'vital', imagesReceivedAt: at('02:30') }),
      teleFile({ id: 'urgent-old', priority: 'urgent', imagesReceivedAt: at('01:30') }),
      teleFile({ id: 'vital-old', priority: 'vital', imagesReceivedAt: at('02:20') }),
    ];
    expect(visibleRows(rows, { ...DEFAULT_VIEW, state: 'all' }, ME).map((r) => r.id)).toEqual([
      'vital-old',
      'vital-new',
      'urgent-old',
      'urgent-new',
      'pending',
      'standard-old',
    ]);
  });

  it('counts a file still receiving images from its creation', () => {
    const waiting = teleFile({ id: 'waiting', imagesReceivedAt: null, createdAt: at('01:00') });
    const older = teleFile({ id: 'older', imagesReceivedAt: at('00:30') });
    const newer = teleFile({ id: 'newer', imagesReceivedAt: at('01:30') });
    expect([newer, waiting, older].sort(comparatorFor('priority')).map((r) => r.id)).toEqual(['older', 'waiting', 'newer']);
  });

  it('offers age alone, and site then priority', () => {
    const a = teleFile({ id: 'a', priority: 'vital', imagesReceivedAt: at('02:00'), requestingSite: { id: 's2', name: 'CH Péronne' } });
    const b = teleFile({ id: 'b', priority: 'standard', imagesReceivedAt: at('01:00'), requestingSite: { id: 's1', name: 'CH Abbeville' } });
    const c = teleFile({ id: 'c', priority: 'urgent', imagesReceivedAt: at('00:30'), requestingSite: null });
    expect([a, b, c].sort(comparatorFor('age')).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect([a, b, c].sort(comparatorFor('site')).map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('filters', () => {
  const free = teleFile({ id: 'free', status: 'routed' });
  const arriving = teleFile({ id: 'arriving', status: 'received' });
  const mine = teleFile({ id: 'mine', status: 'claimed', assignee: me });
  const theirs = teleFile({ id: 'theirs', status: 'reading', assignee: other });
  const signed = teleFile({ id: 'signed', status: 'signed', assignee: other });
  const refused = teleFile({ id: 'refused', status: 'refused' });
  const all = [free, arriving, mine, theirs, signed, refused];
  const ids = (view: Partial<WorklistView>) => all.filter((item) => matchesView(item, { ...DEFAULT_VIEW, ...view }, ME)).map((i) => i.id);

  it('"à lire" is what nobody has, plus my own', () => {
    expect(ids({ state: 'to-read' })).toEqual(['free', 'arriving', 'mine']);
  });

  it('"pris" is what someone has; "tous" adds the finished; refused files are never in the table', () => {
    expect(ids({ state: 'taken' })).toEqual(['mine', 'theirs']);
    expect(ids({ state: 'all' })).toEqual(['free', 'arriving', 'mine', 'theirs', 'signed']);
    expect(refusedRows(all).map((i) => i.id)).toEqual(['refused']);
  });

  it('by modality family and by requesting site', () => {
    const xray = teleFile({ id: 'xray', modalities: ['DX'], modalityFamily: 'conventional', requestingSite: { id: 'ch-peronne', name: 'CH Péronne' } });
    const rows = [free, xray];
    expect(visibleRows(rows, { ...DEFAULT_VIEW, family: 'conventional' }, ME).map((i) => i.id)).toEqual(['xray']);
    expect(visibleRows(rows, { ...DEFAULT_VIEW, siteId: 'ch-montdidier' }, ME).map((i) => i.id)).toEqual(['free']);
    expect(sitesOf([...rows, teleFile({ requestingSite: null })])).toEqual([
      { id: 'ch-montdidier', name: 'CH Montdidier' },
      { id: 'ch-peronne', name: 'CH Péronne' },
    ]);
  });
});

describe('the stored view', () => {
  function memory(): Storage {
    const map = new Map<string, string>();
    return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) } as Storage;
  }

  it('comes back as it was saved', () => {
    const storage = memory();
    const view: WorklistView = { state: 'taken', family: 'conventional', siteId: 'ch-peronne', sort: 'age' };
    storeView(storage, view);
    expect(readStoredView(storage)).toEqual(view);
  });

  it('falls back field by field on what it cannot read, and on a storage that refuses', () => {
    const storage = memory();
    storage.setItem('vigie.worklist.view', JSON.stringify({ state: 'bogus', family: 'conventional', sort: 3 }));
    expect(readStoredView(storage)).toEqual({ state: 'all', family: 'conventional', siteId: 'all', sort: 'priority' });
    storage.setItem('vigie.worklist.view', '{not json');
    const fallback = { ...DEFAULT_VIEW, state: 'to-read' as const };
    expect(readStoredView(storage, fallback)).toEqual(fallback);
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    } as unknown as Storage;
    expect(readStoredView(refusing)).toEqual(DEFAULT_VIEW);
    expect(() => storeView(refusing, DEFAULT_VIEW)).not.toThrow();
  });
});

describe('live changes', () => {
  it('adds, replaces and removes by id, never stepping back to an older version', () => {
    const a1 = teleFile({ id: 'a', version: 1 });
    const b = teleFile({ id: 'b' });
    const a3 = { ...a1, status: 'claimed' as const, version: 3 };
    let items = applyChange([a1], { kind: 'upsert', teleFile: b });
    expect(items.map((i) => i.id)).toEqual(['a', 'b']);
    items = applyChange(items, { kind: 'upsert', teleFile: a3 });
    expect(items[0]).toBe(a3);
    // The claim's answer (v3) arrived before the feed's older copy (v2): the older one is ignored.
    items = applyChange(items, { kind: 'upsert', teleFile: { ...a1, version: 2 } });
    expect(items[0]).toBe(a3);
    items = applyChange(items, { kind: 'remove', id: 'a' });
    expect(items.map((i) => i.id)).toEqual(['b']);
    expect(applyChange(items, { kind: 'remove', id: 'nope' })).toEqual(items);
  });
});

describe('keyboard selection', () => {
  const ids = ['a', 'b', 'c'];
  it('moves by rows, stops at the ends, and starts from the top (down) or the bottom (up)', () => {
    expect(moveSelection(ids, null, 1)).toBe('a');
    expect(moveSelection(ids, null, -1)).toBe('c');
    expect(moveSelection(ids, 'a', 1)).toBe('b');
    expect(moveSelection(ids, 'c', 1)).toBe('c');
    expect(moveSelection(ids, 'a', -1)).toBe('a');
    expect(moveSelection(ids, 'gone', 1)).toBe('a');
    expect(moveSelection([], 'a', 1)).toBeNull();
  });
});

describe('what a reader can do with a row', () => {
  const reader = { id: ME, canRead: true };
  it('claims a routed file nobody has; releases their own; sees who has the others', () => {
    expect(rowAction(teleFile({ status: 'routed' }), reader)).toEqual({ kind: 'claim' });
    expect(rowAction(teleFile({ status: 'received' }), reader)).toEqual({ kind: 'none' });
    expect(rowAction(teleFile({ status: 'claimed', assignee: me }), reader)).toEqual({ kind: 'release' });
    expect(rowAction(teleFile({ status: 'reading', assignee: me }), reader)).toEqual({ kind: 'none' });
    expect(rowAction(teleFile({ status: 'claimed', assignee: other }), reader)).toEqual({ kind: 'taken-by-other', name: 'Dr X' });
  });

  it('offers no claim to someone who does not read images, but still says who has a file', () => {
    const admin = { id: 'u-admin', canRead: false };
    expect(rowAction(teleFile({ status: 'routed' }), admin)).toEqual({ kind: 'none' });
    expect(rowAction(teleFile({ status: 'claimed', assignee: other }), admin)).toEqual({ kind: 'taken-by-other', name: 'Dr X' });
  });
});
