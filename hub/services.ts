import type { Kysely } from 'kysely';
import type { Config } from './config/config.js';
import type { DB } from './db/schema.js';
import { AuditTrail } from './audit/auditTrail.js';
import { SecretBox } from './accounts/secretBox.js';
import { Users } from './accounts/users.js';
import { Sessions } from './sessions/sessions.js';
import { SignIn } from './sessions/signIn.js';
import { sessionGuards, type CookiePolicy } from './http/sessionAuth.js';
import { OrganisationStore } from './organisation/organisationStore.js';
import { RosterStore } from './roster/rosterStore.js';
import { TeleFileStore } from './teleFiles/teleFileStore.js';
import { WorklistService } from './teleFiles/worklistService.js';
import type { LiveFeed } from './teleFiles/liveFeed.js';
import type { PacsAdapter } from './pacs/pacsAdapter.js';
import { StudyAccess } from './dicomweb/studyAccess.js';
import { StudyMetadataCache } from './dicomweb/studyMetadataCache.js';
import type { Logger } from 'pino';
import { DeliveryOutbox } from './delivery/deliveryOutbox.js';
import { markTeleFileDelivered } from './delivery/markTeleFileDelivered.js';
import { createLogger } from './logging/logger.js';

/** The hub's repositories and services, built once and handed to the routes. */
export interface Services {
  config: Config;
  db: Kysely<DB>;
  audit: AuditTrail;
  users: Users;
  sessions: Sessions;
  signIn: SignIn;
  box: SecretBox;
  cookies: CookiePolicy;
  guards: ReturnType<typeof sessionGuards>;
  version: string;
  organisation: OrganisationStore;
  roster: RosterStore;
  teleFiles: TeleFileStore;
  worklist: WorklistService;
  /** Set by startHub (tests that need live updates start one themselves). */
  liveFeed: LiveFeed | null;
  /** Set by startHub: the pivot PACS the DICOMweb proxy reads from (null: the proxy answers 503). */
  pacs: PacsAdapter | null;
  /** Who may read which study through the DICOMweb proxy, and the once-per-study access audit. */
  studyAccess: StudyAccess;
  /** Study metadata prepared ahead of the viewer's request (warmed at routing and claim). */
  studyMetadata: StudyMetadataCache;
  /** Set by startHub: the pivot PACS ingest's state, for /api/health. */
  pacsStatus: (() => { pacs: string; reachable: boolean; lastError: string | null; lastSuccessAt: string | null }) | null;
  /** The outbox of signed reports to their requesting sites: `enqueue` in the signing transaction, `statusOf` for views. startHub starts its worker. */
  delivery: DeliveryOutbox;
}

export function buildServices(config: Config, db: Kysely<DB>, secretKey: Buffer, version: string, logger: Logger = createLogger('silent')): Services {
  const audit = new AuditTrail(db);
  const box = new SecretBox(secretKey);
  const sessions = new Sessions(db, { idleMs: config.sessionIdle, absoluteMs: config.sessionAbsolute });
  const signIn = new SignIn(db, sessions, audit, box, {
    secondFactorRequiredRoles: config.secondFactorRequiredRoles,
    maxFailures: config.loginMaxFailures,
    lockoutMs: config.loginLockout,
  });
  // Secure cookies need HTTPS; the embedded default listens on loopback over plain HTTP.
  const cookies = { secure: config.cookieSecure ?? false };
  const organisation = new OrganisationStore(db, audit);
  const roster = new RosterStore(db, audit);
  const teleFiles = new TeleFileStore(db, audit);
  const worklist = new WorklistService(db, teleFiles, roster, organisation, audit);
  const delivery = new DeliveryOutbox({ db, organisation, audit, logger, dataDir: config.dataDir, onDelivered: (reportId) => markTeleFileDelivered(db, teleFiles, reportId) });
  const services: Services = {
    config,
    db,
    audit,
    users: new Users(db),
    sessions,
    signIn,
    box,
    cookies,
    guards: sessionGuards(sessions, audit, cookies),
    version,
    organisation,
    roster,
    teleFiles,
    worklist,
    liveFeed: null,
    pacs: null,
    studyAccess: new StudyAccess(teleFiles, worklist, audit),
    // Reads whichever PACS startHub (or a test) sets later.
    studyMetadata: new StudyMetadataCache(() => services.pacs),
    pacsStatus: null,
    delivery,
  };
  worklist.firstFrameOf = (studyUid) => services.studyMetadata.firstFramePathOf(studyUid);
  return services;
}
