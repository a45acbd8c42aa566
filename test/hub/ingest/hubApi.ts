/** A signed-in HTTP view of a hub process, as an admin or a reader sees it (no second factor: VIGIE_SECOND_FACTOR_ROLES=''). */
import type { AuditEvent, AuditPage } from '../../../core/api/audit.js';
import type { TeleFileSummary, TeleFileWorklist } from '../../../core/api/teleFiles.js';
import { apiSignIn } from '../../e2e/apiSignIn.js';
import type { HubProcess } from '../../harness/hub.js';

export class HubApi {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly hub: HubProcess) {}

  get url(): string {
    return this.hub.url;
  }

  /** A session cookie for a demo account (signed in once per hub process). */
  async cookie(username: string): Promise<string> {
    const known = this.cookies.get(username);
    if (known) return known;
    const account = await this.hub.account(username);
    const { cookie } = await apiSignIn(this.hub.url, account.username, account.password);
    this.cookies.set(username, cookie);
    return cookie;
  }

  async get(path: string, username: string): Promise<Response> {
    return fetch(`${this.hub.url}${path}`, { headers: { cookie: await this.cookie(username) }, signal: AbortSignal.timeout(10_000) });
  }

  async getJson<T>(path: string, username: string): Promise<T> {
    const response = await this.get(path, username);
    if (!response.ok) throw new Error(`GET ${path} as ${username} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return (await response.json()) as T;
  }

  async worklist(username = 'admin'): Promise<TeleFileSummary[]> {
    return (await this.getJson<TeleFileWorklist>('/api/worklist', username)).items;
  }

  /** Tele-files of one study on someone's worklist (the admin's by default: every state but delivered/cancelled). */
  async teleFilesOf(studyInstanceUid: string, username = 'admin'): Promise<TeleFileSummary[]> {
    return (await this.worklist(username)).filter((f) => f.studyInstanceUid === studyInstanceUid);
  }

  /** Every `tele-file.created` audit row (pages followed). */
  async createdAuditRows(): Promise<AuditEvent[]> {
    const events: AuditEvent[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: AuditPage = await this.getJson<AuditPage>(`/api/audit?action=tele-file.created&limit=1000&afterSeq=${after}`, 'admin');
      events.push(...page.events);
      after = page.nextAfterSeq;
    }
    return events;
  }
}
