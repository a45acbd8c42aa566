import { describe, expect, it } from 'vitest';
import { EMPTY_CONTENT, NO_CRITICAL_FINDING } from '../../../core/api/reports.js';
import { localCopyKey, readLocalCopy, startingPoint, writeLocalCopy, type LocalCopy } from '../../../renderer/report/localCopy.js';
import { reportView } from './reportFixture.js';

function copy(overrides: Partial<LocalCopy> = {}): LocalCopy {
  return {
    v: 1,
    fields: { content: { ...EMPTY_CONTENT, findings: 'typed here' }, critical: NO_CRITICAL_FINDING, templateId: null },
    baseVersion: 3,
    editedAt: Date.parse('2026-01-15T02:20:00Z'),
    ...overrides,
  };
}

describe('local copies', () => {
  it('are keyed per user and per report or addendum', () => {
    expect(localCopyKey('u1', { kind: 'report', teleFileId: 'tf1' })).not.toBe(localCopyKey('u2', { kind: 'report', teleFileId: 'tf1' }));
    expect(localCopyKey('u1', { kind: 'report', teleFileId: 'x' })).not.toBe(localCopyKey('u1', { kind: 'addendum', reportId: 'x' }));
  });

  it('read back what was written, and ignore what is not a copy', () => {
    const map = new Map<string, string>();
    const store = { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k) };
    expect(writeLocalCopy(store, 'k', copy())).toBe(true);
    expect(readLocalCopy(store, 'k')).toEqual(copy());
    map.set('k', '{"v":1,"fields":"nope"}');
    expect(readLocalCopy(store, 'k')).toBeNull();
    map.set('k', 'not json');
    expect(readLocalCopy(store, 'k')).toBeNull();
    const full = { ...store, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    expect(writeLocalCopy(full, 'k', copy())).toBe(false);
    expect(writeLocalCopy(undefined, 'k', copy())).toBe(false);
  });
});

describe('startingPoint (reopening a draft on this machine)', () => {
  const hub = reportView({ version: 3, updatedAt: '2026-01-15T02:10:00Z', content: { ...EMPTY_CONTENT, findings: 'on the hub' } });

  it('takes the hub when there is no local copy, or when it is signed', () => {
    expect(startingPoint(hub, null)).toEqual({ source: 'hub' });
    expect(startingPoint(reportView({ status: 'signed', version: 9 }), copy({ baseVersion: 9 }))).toEqual({ source: 'hub' });
  });

  it('restores unsaved edits made on the version the hub still has', () => {
    expect(startingPoint(hub, copy())).toEqual({ source: 'local', copy: copy(), staleBase: false });
    expect(startingPoint(null, copy({ baseVersion: 0 }))).toMatchObject({ source: 'local', staleBase: false });
  });

  it('restores edits typed after a newer hub save, marked stale (the save will meet the conflict)', () => {
    expect(startingPoint(reportView({ version: 5, updatedAt: '2026-01-15T02:15:00Z' }), copy())).toMatchObject({ source: 'local', staleBase: true });
  });

  it('drops a copy older than the hub’s newer version, or identical to it', () => {
    expect(startingPoint(reportView({ version: 5, updatedAt: '2026-01-15T02:25:00Z' }), copy())).toEqual({ source: 'hub' });
    expect(startingPoint(reportView({ version: 3, content: { ...EMPTY_CONTENT, findings: 'typed here' } }), copy())).toEqual({ source: 'hub' });
  });
});
