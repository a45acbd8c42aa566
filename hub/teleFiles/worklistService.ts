import type { Kysely } from 'kysely';
import type { TeleFileSummary, TeleFileWorklist } from '../../core/api/teleFiles.js';
import { targetsOfPersonAt } from '../../core/roster.js';
import type { UserRow } from '../accounts/users.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { problems } from '../http/httpProblem.js';
import type { OrganisationStore } from '../organisation/organisationStore.js';
import type { RosterStore } from '../roster/rosterStore.js';
import type { TeleFileRow, TeleFileStore } from './teleFileStore.js';
import { toTeleFileSummary, type PersonName } from './teleFileView.js';
import { deliveryByTeleFile } from '../delivery/deliveryByTeleFile.js';
import { canSee, onCallGroupsOf, type Reach } from './visibility.js';

const OPEN_FOR_READERS = ['routed', 'claimed', 'reading', 'escalated', 'signed', 'delivered'] as const;
/** How long a delivered tele-file stays on worklists: a night's shift. */
const DELIVERED_SHOWN_MS = 12 * 60 * 60 * 1000;

/** Who sees which tele-files, and how they are shown. */
export class WorklistService {
  /** The prepared first frame of a study (set by buildServices: the DICOMweb proxy's preparation). */
  firstFrameOf: (studyInstanceUid: string) => string | null = () => null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly teleFiles: TeleFileStore,
    private readonly roster: RosterStore,
    private readonly organisation: OrganisationStore,
    private readonly audit: AuditTrail,
  ) {}

  async reachOf(user: Pick<UserRow, 'id' | 'username' | 'roles'>, now = new Date()): Promise<Reach> {
    const entries = await this.roster.entriesAt(now);
    const requesterSites = user.roles.includes('requester') ? await this.siteCodesOf(user.id) : [];
    return { user, onCallGroups: onCallGroupsOf(targetsOfPersonAt(entries, user.username, now)), requesterSites };
  }

  /** The codes of the sites a person belongs to (user_sites → sites.code, the organisation's site ids). */
  private async siteCodesOf(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('user_sites').innerJoin('sites', 'sites.id', 'user_sites.site_id').select('sites.code').where('user_sites.user_id', '=', userId).execute();
    return rows.map((r) => r.code);
  }

  /**
   * The requesting sites this person may announce requests for: a
   * requester's own sites (user_sites), every requesting site for an admin;
   * only sites of the organisation in force, with the issuer of their patient IDs.
   */
  async requestingSitesOf(user: Pick<UserRow, 'id' | 'username' | 'roles'>): Promise<{ id: string; name: string; issuer: string }[]> {
    const organisation = await this.organisation.active();
    const requesting = (organisation?.organisation.sites ?? []).filter((site) => site.kind === 'requesting');
    const admin = user.roles.includes('admin');
    const own = admin || !user.roles.includes('requester') ? [] : await this.siteCodesOf(user.id);
    return requesting
      .filter((site) => admin || own.includes(site.id))
      .map((site) => ({ id: site.id, name: site.name, issuer: site.pacs.issuerOfPatientId }))
      .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /** The roster in force now, read once to work out many readers' reach (the live feed). */
  rosterAt(now = new Date()) {
    return this.roster.entriesAt(now);
  }

  /** Reach from an already-read roster: no query per reader. */
  reachFrom(user: Pick<UserRow, 'id' | 'username' | 'roles'>, entries: Awaited<ReturnType<RosterStore['entriesAt']>>, requesterSites: readonly string[], now = new Date()): Reach {
    return { user, onCallGroups: onCallGroupsOf(targetsOfPersonAt(entries, user.username, now)), requesterSites };
  }

  async visibleRows(reach: Reach): Promise<TeleFileRow[]> {
    const { user } = reach;
    // Delivered files stay on the list for the rest of the night, so the reader sees the report arrived.
    const deliveredSince = new Date(Date.now() - DELIVERED_SHOWN_MS);
    let query = this.db
      .selectFrom('tele_files')
      .selectAll()
      .where((eb) => eb.or([eb('status', 'not in', ['delivered', 'cancelled']), eb.and([eb('status', '=', 'delivered'), eb('updated_at', '>', deliveredSince)])]));
    if (!user.roles.includes('admin')) {
      query = query.where((eb) => {
        const any = [eb('assignee_id', '=', user.id)];
        if (reach.onCallGroups.length > 0 && (user.roles.includes('radiologist') || user.roles.includes('neuroradiologist'))) {
          any.push(eb.and([eb('target_kind', '=', 'pivot-group'), eb('target_id', 'in', [...reach.onCallGroups]), eb('status', 'in', [...OPEN_FOR_READERS])]));
        }
        if (reach.requesterSites.length > 0) any.push(eb('requesting_site_id', 'in', [...reach.requesterSites]));
        return eb.or(any);
      });
    }
    return query.orderBy('created_at', 'asc').limit(1000).execute();
  }

  async summaries(rows: readonly TeleFileRow[]): Promise<TeleFileSummary[]> {
    const assigneeIds = [...new Set(rows.map((r) => r.assignee_id).filter((id): id is string => id !== null))];
    const people = new Map<string, PersonName>();
    if (assigneeIds.length > 0) {
      for (const p of await this.db.selectFrom('users').select(['id', 'username', 'display_name']).where('id', 'in', assigneeIds).execute()) people.set(p.id, { username: p.username, displayName: p.display_name });
    }
    const organisation = await this.organisation.active();
    const siteNames = new Map((organisation?.organisation.sites ?? []).map((s) => [s.id, s.name] as const));
    const deliveries = await deliveryByTeleFile(this.db, rows.filter((r) => r.status === 'signed' || r.status === 'delivered').map((r) => r.id));
    return rows.map((row) => {
      const summary = toTeleFileSummary(row, people, siteNames, deliveries);
      return summary.studyInstanceUid === null ? summary : { ...summary, firstFramePath: this.firstFrameOf(summary.studyInstanceUid) };
    });
  }

  async worklist(user: Pick<UserRow, 'id' | 'username' | 'roles'>): Promise<TeleFileWorklist> {
    // The cursor is read first: a change landing while the list is read is sent again by the feed, never lost.
    const cursor = await this.teleFiles.headSeq();
    const reach = await this.reachOf(user);
    return { items: await this.summaries(await this.visibleRows(reach)), asOf: new Date().toISOString(), cursor };
  }

  /** The tele-file if this person may see it; otherwise a 403 and an audit row (it may be another patient's). */
  async visible(user: Pick<UserRow, 'id' | 'username' | 'roles'>, id: string, meta: { ip: string; requestId: string }): Promise<TeleFileRow> {
    const row = await this.teleFiles.byId(id);
    if (row && canSee(await this.reachOf(user), row)) return row;
    await this.audit.append({ action: 'access.denied', outcome: 'failure', actorId: user.id, actorName: user.username, ip: meta.ip, requestId: meta.requestId, targetType: 'tele-file', targetId: id, details: { exists: row !== undefined } });
    throw problems.forbidden('This tele-file is not yours to see: it is not in a pool you are on call for, nor assigned to you.');
  }
}
