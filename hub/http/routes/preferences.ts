import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { DEFAULT_VIEWER_PREFERENCES, ViewerPreferences, ViewerPreferencesInput } from '../../../core/api/viewerPreferences.js';
import type { DB } from '../../db/schema.js';
import type { Services } from '../../services.js';
import { parseInput } from '../httpProblem.js';
import { authOf } from '../sessionAuth.js';

/**
 * A reader's own viewer preferences (decision 35): any signed-in person, for
 * themselves only (the user comes from the session, never from the URL).
 *   GET /api/me/preferences/viewer → ViewerPreferences, the defaults when none saved
 *   PUT /api/me/preferences/viewer   ViewerPreferencesInput → ViewerPreferences (400 naming each bad field;
 *                                    a key bound to two actions is refused, naming the key and both actions)
 * Not audited: hotkeys and a cache size are neither patient data nor access rights.
 */
export async function preferenceRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const signedIn = { preHandler: services.guards.requireSession() };

  app.get('/api/me/preferences/viewer', signedIn, async (request): Promise<ViewerPreferences> => {
    const stored = await readPreference(services.db, authOf(request).user.id, 'viewer');
    if (stored === undefined) return DEFAULT_VIEWER_PREFERENCES;
    const parsed = ViewerPreferences.safeParse(stored);
    if (parsed.success) return parsed.data;
    // Saved by a version that knew other actions or fields: the reader gets working defaults, and the log says why.
    request.log.warn({ issues: parsed.error.issues.map((i) => i.path.join('.')) }, 'Stored viewer preferences no longer valid; answering the defaults');
    return DEFAULT_VIEWER_PREFERENCES;
  });

  app.put('/api/me/preferences/viewer', signedIn, async (request): Promise<ViewerPreferences> => {
    const preferences = parseInput(ViewerPreferencesInput, request.body);
    await writePreference(services.db, authOf(request).user.id, 'viewer', preferences);
    return preferences;
  });
}

type PreferenceKind = DB['user_preferences']['kind'];

/** The stored JSON of one kind of preference, or undefined when the person never saved one. */
async function readPreference(db: Kysely<DB>, userId: string, kind: PreferenceKind): Promise<unknown> {
  const row = await db.selectFrom('user_preferences').select('value').where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirst();
  return row?.value;
}

/** Replaces the whole value: a preference is saved as the form shows it, so last write wins. */
async function writePreference(db: Kysely<DB>, userId: string, kind: PreferenceKind, value: object): Promise<void> {
  const json = JSON.stringify(value);
  await db
    .insertInto('user_preferences')
    .values({ user_id: userId, kind, value: json })
    .onConflict((conflict) => conflict.columns(['user_id', 'kind']).doUpdateSet({ value: json, updated_at: new Date() }))
    .execute();
}
