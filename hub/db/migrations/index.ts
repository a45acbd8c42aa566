import type { Migration } from 'kysely/migration';
import * as foundation from './0001_foundation.js';
import * as teleFiles from './0002_tele_files.js';
import * as requestFirst from './0003_request_first.js';
import * as viewerPreferences from './0004_viewer_preferences.js';
import * as reports from './0005_reports.js';
import * as delivery from './0006_delivery.js';

/** Every migration, in order. Names never change once released. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': foundation,
  '0002_tele_files': teleFiles,
  '0003_request_first': requestFirst,
  '0004_viewer_preferences': viewerPreferences,
  '0005_reports': reports,
  '0006_delivery': delivery,
};
