import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  READING_API_METHODS,
  READING_API_SUBSCRIPTIONS,
  WORKLIST_CHANNELS,
  readingApiChannel,
  type ReadingApiMethod,
  type ReadingApiSubscription,
} from '../../electron/main/ipcChannels.js';
import { createHubClient } from '../../electron/main/hubClient.js';
import { createVigieBridge, readingApiFromBridge } from '../../electron/preload/vigieBridge.js';

describe('ReadingApi IPC channels', () => {
  it('list every ReadingApi method, and nothing else (checked by the type-checker)', () => {
    expectTypeOf<ReadingApiMethod | ReadingApiSubscription>().toEqualTypeOf<keyof ReadingApi>();
    expectTypeOf<ReadingApiMethod>().toEqualTypeOf<Exclude<keyof ReadingApi, 'watchWorklist'>>();
  });

  it('give the live worklist its own namespaced channels, distinct from the methods', () => {
    expect(Object.values(WORKLIST_CHANNELS)).toEqual(['vigie:api:watchWorklist', 'vigie:api:unwatchWorklist', 'vigie:event:worklist']);
    for (const channel of Object.values(WORKLIST_CHANNELS)) expect(Object.values(READING_API_CHANNELS)).not.toContain(channel);
  });

  it('name each method once, under the vigie:api: namespace', () => {
    expect(new Set(READING_API_METHODS).size).toBe(READING_API_METHODS.length);
    for (const method of READING_API_METHODS) {
      expect(READING_API_CHANNELS[method]).toBe(`vigie:api:${method}`);
      expect(readingApiChannel(method)).toBe(READING_API_CHANNELS[method]);
    }
    expect(Object.keys(READING_API_CHANNELS).sort()).toEqual([...READING_API_METHODS].sort());
  });

  it('match the methods that the hub client, the preload bridge and its renderer side implement', () => {
    const listed = [...READING_API_METHODS, ...READING_API_SUBSCRIPTIONS].sort();
    const hubClient = createHubClient({
      hubUrl: 'http://127.0.0.1:9/',
      tokenStore: { load: () => Promise.resolve(null), save: () => Promise.resolve() },
    });
    const bridge = createVigieBridge(() => Promise.reject(new Error('not called')));
    // sessionToken serves main's own image-request hook: it is deliberately not a channel (the token never reaches the renderer).
    expect(Object.keys(hubClient).sort()).toEqual([...listed, 'sessionToken'].sort());
    expect(Object.keys(bridge)).not.toContain('sessionToken');
    expect(Object.keys(bridge).sort()).toEqual(listed);
    expect(Object.keys(readingApiFromBridge(bridge)).sort()).toEqual(listed);
  });
});
