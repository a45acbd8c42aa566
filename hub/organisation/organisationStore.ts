import type { Kysely } from 'kysely';
import { Organisation, type OrganisationInput } from '../../core/api/organisation.js';
import { validateCoverage, type ValidCoverage } from '../../core/coverage.js';
import type { DomainError } from '../../core/errors.js';
import { validateSites } from '../../core/site.js';
import type { AuditTrail } from '../audit/auditTrail.js';
import type { DB } from '../db/schema.js';
import { HttpProblem, fieldIssues } from '../http/httpProblem.js';

/** The organisation with its coverage validated, ready for routing. */
export interface ActiveOrganisation {
  version: number;
  organisation: Organisation;
  coverage: ValidCoverage;
}

// Several hubs share one database: re-read the version at most this often.
const CACHE_MS = 2_000;

function problemFrom(errors: readonly DomainError[]): HttpProblem {
  const fields = errors.map((e) => ({ field: String((e.details as { ruleId?: string; siteId?: string } | undefined)?.ruleId ?? (e.details as { siteId?: string } | undefined)?.siteId ?? ''), message: e.message.en }));
  return new HttpProblem(400, 'validation-failed', `The organisation is not consistent: ${errors.map((e) => e.message.en).join(' ')}`, { fields });
}

/** Validates a whole organisation document, or throws an HttpProblem naming every problem. */
export function validateOrganisation(input: unknown): ActiveOrganisation['organisation'] & { coverageValid: ValidCoverage } {
  const parsed = Organisation.safeParse(input);
  if (!parsed.success) {
    const fields = fieldIssues(parsed.error);
    throw new HttpProblem(400, 'validation-failed', `The organisation document is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join(' ')}`, { fields });
  }
  const sites = validateSites(parsed.data.sites);
  if (!sites.ok) throw problemFrom(sites.error);
  const coverage = validateCoverage(parsed.data.coverage, parsed.data.sites);
  if (!coverage.ok) throw problemFrom(coverage.error);
  return { ...parsed.data, coverageValid: coverage.value };
}

/** The region's organisation, versioned: each save is a new row; the newest is in force. */
export class OrganisationStore {
  private cached: { at: number; value: ActiveOrganisation | null } | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
  ) {}

  async active(now = Date.now()): Promise<ActiveOrganisation | null> {
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const head = await this.db.selectFrom('organisation_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (this.cached?.value && head?.version === this.cached.value.version) {
      this.cached = { at: now, value: this.cached.value };
      return this.cached.value;
    }
    if (!head) {
      this.cached = { at: now, value: null };
      return null;
    }
    const row = await this.db.selectFrom('organisation_versions').select(['version', 'document']).where('version', '=', head.version).executeTakeFirstOrThrow();
    const valid = validateOrganisation(row.document);
    const value = { version: row.version, organisation: { sites: valid.sites, coverage: valid.coverage, pdsCalendar: valid.pdsCalendar }, coverage: valid.coverageValid };
    this.cached = { at: now, value };
    return value;
  }

  async save(input: OrganisationInput | unknown, savedBy: { id: string | null; username: string }, meta: { ip?: string; requestId?: string } = {}): Promise<ActiveOrganisation> {
    const valid = validateOrganisation(input);
    const organisation: Organisation = { sites: valid.sites, coverage: valid.coverage, pdsCalendar: valid.pdsCalendar };
    const version = await this.db.transaction().execute(async (trx) => {
      const row = await trx.insertInto('organisation_versions').values({ document: JSON.stringify(organisation), saved_by: savedBy.username }).returning('version').executeTakeFirstOrThrow();
      await this.audit.append(
        { action: 'organisation.saved', actorId: savedBy.id, actorName: savedBy.username, ip: meta.ip ?? null, requestId: meta.requestId ?? null, targetType: 'organisation', targetId: String(row.version), details: { sites: organisation.sites.length, rules: organisation.coverage.rules.length } },
        trx,
      );
      return row.version;
    });
    this.cached = null;
    return { version, organisation, coverage: valid.coverageValid };
  }
}
