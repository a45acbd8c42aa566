import type { RoutingSimulation } from '../../core/api/organisation.js';
import { parisWallTimeToInstant } from '../format/parisWallTime.js';

/** The simulator form as typed: the date and time are Paris wall-clock time, as the admin thinks of them. */
export interface SimulatorForm {
  callingAeTitle: string;
  institutionName: string;
  modalities: string;
  date: string;
  time: string;
}

export type SimulatorProblem = 'senderRequired' | 'modalitiesRequired' | 'dateInvalid' | 'timeInvalid';

export type SimulatorCheck =
  | { readonly ok: true; readonly request: RoutingSimulation; readonly note: 'exact' | 'skipped' | 'repeated' }
  | { readonly ok: false; readonly problems: Partial<Record<keyof SimulatorForm | 'sender', SimulatorProblem>> };

/** "CT, mr  dx" → ['CT', 'MR', 'DX']: commas or spaces, upper-cased, each once. */
export function parseModalities(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,;/]+/)) {
    const m = part.trim().toUpperCase();
    if (m && !out.includes(m)) out.push(m);
  }
  return out;
}

/** The request for `POST /api/admin/routing/simulate`, with the instant in UTC (ISO) from Paris time, DST included. */
export function buildSimulation(form: SimulatorForm): SimulatorCheck {
  const problems: Partial<Record<keyof SimulatorForm | 'sender', SimulatorProblem>> = {};
  const callingAeTitle = form.callingAeTitle.trim();
  const institutionName = form.institutionName.trim();
  if (callingAeTitle === '' && institutionName === '') problems.sender = 'senderRequired';
  const modalities = parseModalities(form.modalities);
  if (modalities.length === 0) problems.modalities = 'modalitiesRequired';
  const instant = parisWallTimeToInstant(form.date, form.time);
  if (!instant.ok) problems[instant.problem] = instant.problem === 'date' ? 'dateInvalid' : 'timeInvalid';
  if (!instant.ok || Object.keys(problems).length > 0) return { ok: false, problems };
  const request: RoutingSimulation = { modalities, at: instant.iso };
  if (callingAeTitle) request.callingAeTitle = callingAeTitle;
  if (institutionName) request.institutionName = institutionName;
  return { ok: true, request, note: instant.note };
}
