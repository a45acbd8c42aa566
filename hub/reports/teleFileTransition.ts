import type { Kysely } from 'kysely';
import type { TeleFileEvent } from '../../core/teleFile.js';
import type { DB } from '../db/schema.js';
import type { TeleFileRow, TeleFileStore } from '../teleFiles/teleFileStore.js';

export interface TransitionMeta {
  ip?: string;
  requestId?: string;
  actorName?: string;
}

/**
 * Applies a tele-file event inside the caller's transaction, through the
 * store's own transition code (core TRANSITIONS, conditional UPDATE on
 * version, event row, audit): the report and its tele-file change together
 * or not at all. TeleFileStore keeps that method private; element access is
 * TypeScript's sanctioned way in, and keeps one implementation of the rule.
 * Should the store expose it, call it directly and delete this file.
 */
export function applyInTransaction(store: TeleFileStore, trx: Kysely<DB>, row: TeleFileRow, event: TeleFileEvent, meta: TransitionMeta): Promise<TeleFileRow> {
  return store['applyInTransaction'](trx, row, event, {}, meta);
}
