import type { Role } from '../../core/roles.js';
import { missingCase } from '../util/missingCase.js';
import type { WorkScreen } from './appState.js';

/**
 * Each screen has a URL fragment (`#/roster`), so that the browser's Back
 * button, a reload and a bookmark work as people expect, without a router or
 * any server-side route: the hub serves one page.
 */
export function hashOf(screen: WorkScreen): string {
  switch (screen.name) {
    case 'worklist':
      return '#/';
    case 'clinical-request':
      return `#/tele-files/${encodeURIComponent(screen.teleFileId)}/request`;
    case 'viewer':
      return `#/tele-files/${encodeURIComponent(screen.teleFileId)}/viewer`;
    case 'new-request':
      return '#/requests/new';
    case 'organisation':
      return '#/admin/organisation';
    case 'roster':
      return '#/admin/roster';
    case 'simulator':
      return '#/admin/simulator';
    case 'deliveries':
      return '#/admin/deliveries';
    default:
      return missingCase(screen);
  }
}

/** The screen a fragment names; anything unknown is the worklist. */
export function screenFromHash(hash: string): WorkScreen {
  const path = hash.replace(/^#/, '');
  const teleFilePage = /^\/tele-files\/([^/]+)\/(request|viewer)$/.exec(path);
  if (teleFilePage?.[1]) {
    try {
      const teleFileId = decodeURIComponent(teleFilePage[1]);
      return teleFilePage[2] === 'viewer' ? { name: 'viewer', teleFileId } : { name: 'clinical-request', teleFileId };
    } catch {
      return { name: 'worklist' };
    }
  }
  switch (path) {
    case '/requests/new':
      return { name: 'new-request' };
    case '/admin/organisation':
      return { name: 'organisation' };
    case '/admin/roster':
      return { name: 'roster' };
    case '/admin/simulator':
      return { name: 'simulator' };
    case '/admin/deliveries':
      return { name: 'deliveries' };
    default:
      return { name: 'worklist' };
  }
}

/** Who may open a screen (the hub checks again: this only keeps people from pages that would answer 403). */
export function mayOpen(screen: WorkScreen, roles: readonly Role[]): boolean {
  switch (screen.name) {
    case 'worklist':
      return true;
    case 'viewer':
      return readsImages(roles) || roles.includes('admin');
    case 'clinical-request':
    case 'new-request':
      return roles.includes('requester') || roles.includes('admin');
    case 'organisation':
    case 'roster':
    case 'simulator':
    case 'deliveries':
      return roles.includes('admin');
    default:
      return missingCase(screen);
  }
}

/** Those who read images take tele-files; the others (admin only, requester) see the list. */
export function readsImages(roles: readonly Role[]): boolean {
  return roles.includes('radiologist') || roles.includes('neuroradiologist');
}
