import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ReadingApi } from '../../core/readingApi.js';
import {
  READING_API_CHANNELS,
  READING_API_METHODS,
  readingApiChannel,
  type ReadingApiMethod,
} from '../../electron/main/ipcChannels.js';
import { createHubClient } from '../../electron/main/hubClient.js';
import { createVigieBridge, readingApiFromBridge } from '../../electron/preload/vigieBridge.js';

describe('ReadingApi IPC channels', () => {
  it('list every ReadingApi method, and nothing else (checked by the type-checker)', () => {
    expectTypeOf<ReadingApiMethod>().toEqualTypeOf<keyof ReadingApi>();
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
    const listed = [...READING_API_METHODS].sort();
    const hubClient = createHubClient({
      hubUrl: 'http://127.0.0.1:9/',
      tokenStore: { load: () => Promise.resolve(null), save: () => Promise.resolve() },
    });
    const bridge = createVigieBridge(() => Promise.reject(new Error('not called')));
    expect(Object.keys(hubClient).sort()).toEqual(listed);
    expect(Object.keys(bridge).sort()).toEqual(listed);
    expect(Object.keys(readingApiFromBridge(bridge)).sort()).toEqual(listed);
  });
});
