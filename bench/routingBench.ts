// Routing decisions per second: core route() over the 15-site region of the
// unit tests, with a month's rota, for many instants across a week that holds
// weeknights, a weekend and a public holiday (Easter Monday 2026).
//
// Baseline, same instants, same run: pdsPeriodAt() alone. Every decision must
// first place its instant in the PDS calendar (holidays, DST, the period's
// bounds and label); the ratio says what matching the sender, the coverage
// table, the roster and the bilingual explanation add on top of that floor.
// A trivial Map lookup "router" (sender AE + family → target, no calendar, no
// text) is printed too, as the cost of a router that explains nothing.
import { defaultPdsCalendar, pdsPeriodAt } from '../core/pdsCalendar.js';
import { modalityFamily } from '../core/modalityFamily.js';
import { route, type RoutingContext, type RoutingDecision, type StudyFacts } from '../core/routing.js';
import type { RosterEntry } from '../core/roster.js';
import { addDays, type CivilDate, instantAt, weekdayOf } from '../core/wallClock.js';
import { displayNames, requestingSites, sites, validCoverage } from '../test/core/fixtures/region.js';
import { check, median, seededRandom } from './stats.js';

const TZ = 'Europe/Paris';
const HOUR = 60;

/**
 * March–April 2026 as a region would import it: the shared pool `aab` has two
 * readers on weeknights and three on weekend/holiday days, Amiens one reader
 * per 24 h, neuroradiology one per night. About 240 entries.
 */
export function monthRota(): { roster: RosterEntry[]; names: Record<string, string> } {
  const roster: RosterEntry[] = [];
  const names: Record<string, string> = { ...displayNames };
  const pool = Array.from({ length: 12 }, (_, i) => `dr.p${String(i + 1).padStart(2, '0')}`);
  const amiens = ['dr.a1', 'dr.a2', 'dr.a3', 'dr.a4'];
  const neuro = ['dr.n1', 'dr.n2', 'dr.n3'];
  for (const id of [...pool, ...amiens, ...neuro]) names[id] = `Dr ${id.slice(3).toUpperCase()}`;
  const holidays = new Set(['2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25']);
  let turn = 0;
  for (let day: CivilDate = { year: 2026, month: 3, day: 1 }; day.month <= 4; day = addDays(day, 1)) {
    const iso = `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`;
    const next = addDays(day, 1);
    const weekday = weekdayOf(day);
    const wholeDay = weekday === 0 || weekday === 6 || holidays.has(iso);
    const from = instantAt(day, wholeDay ? 8 * HOUR : 18 * HOUR, TZ);
    const to = instantAt(next, 8 * HOUR, TZ);
    const readers = wholeDay ? 3 : 2;
    for (let r = 0; r < readers; r += 1) {
      roster.push({ personId: pool[(turn + r) % pool.length] as string, target: { kind: 'pivot-group', groupId: 'aab' }, from, to });
    }
    turn += readers;
    roster.push({ personId: amiens[turn % amiens.length] as string, target: { kind: 'pivot-group', groupId: 'amiens' }, from: instantAt(day, 8 * HOUR, TZ), to });
    roster.push({ personId: neuro[turn % neuro.length] as string, target: { kind: 'subspecialty', subspecialty: 'neuroradiology' }, from: instantAt(day, 18 * HOUR, TZ), to });
  }
  return { roster, names };
}

interface Case {
  study: StudyFacts;
  instant: Date;
  loaded: boolean;
}

/** A seeded mix of studies and instants: every site, CT/MR/radiographs/ultrasound, a few unknown senders. */
function workload(count: number): Case[] {
  const random = seededRandom(4);
  // Monday 30 March 2026 00:00 Paris (summer time) → Tuesday 7 April 00:00: weeknights, the weekend, Easter Monday.
  const start = instantAt({ year: 2026, month: 3, day: 30 }, 0, TZ).getTime();
  const end = instantAt({ year: 2026, month: 4, day: 7 }, 0, TZ).getTime();
  const modalities: string[][] = [['CT'], ['CT', 'SR'], ['CT'], ['MR'], ['CR'], ['DX'], ['DX', 'PR'], ['US'], ['CT'], ['CR']];
  const cases: Case[] = [];
  for (let i = 0; i < count; i += 1) {
    const site = requestingSites[Math.floor(random() * requestingSites.length)];
    const pacs = site?.kind === 'requesting' ? site.pacs : undefined;
    const roll = random();
    const sender =
      roll < 0.03
        ? { callingAeTitle: 'UNKNOWN_AE', institutionName: 'CLINIQUE INCONNUE' }
        : roll < 0.15
          ? { callingAeTitle: 'MODALITY_CT1', institutionName: pacs?.institutionName }
          : { callingAeTitle: pacs?.callingAeTitle, institutionName: pacs?.institutionName };
    cases.push({
      study: { sender, modalitiesInStudy: modalities[Math.floor(random() * modalities.length)] as string[] },
      instant: new Date(start + Math.floor(random() * (end - start))),
      loaded: random() < 0.1,
    });
  }
  return cases;
}

export interface RoutingFigures {
  routePerSecond: number;
  pdsPerSecond: number;
  lookupPerSecond: number;
  /** Median over rounds of route / pdsPeriodAt measured back to back. */
  ratio: number;
  rounds: number;
  cases: number;
  rosterEntries: number;
  outcomes: Record<string, number>;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/**
 * Calls `fn` over the cases in batches for about `ms`, returns calls per
 * second of this process's CPU time: other programs on the machine (a test
 * run, say) then barely move the figure, which wall-clock time would not.
 */
function rate(cases: readonly Case[], ms: number, fn: (c: Case) => unknown): number {
  let calls = 0;
  let sink = 0;
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  while (performance.now() - started < ms) {
    for (const c of cases) {
      if (fn(c) !== undefined) sink += 1;
    }
    calls += cases.length;
  }
  const cpu = cpuSeconds() - cpuStarted;
  if (sink !== calls) throw new Error('a routing call returned nothing');
  return calls / cpu;
}

export async function measureRouting(options: { rounds: number; msPerRound: number }): Promise<RoutingFigures> {
  const { roster, names } = monthRota();
  const coverage = validCoverage();
  const base: RoutingContext = { sites, coverage, roster, pdsConfig: defaultPdsCalendar, displayNames: names, waitingByGroup: { aab: 3, amiens: 0 } };
  const loaded: RoutingContext = { ...base, waitingByGroup: { aab: 9, amiens: 1 } };
  const cases = workload(2048);

  const decide = (c: Case): RoutingDecision => route(c.study, c.instant, c.loaded ? loaded : base);

  // Check the answers before timing them: a fast wrong router is no result.
  const outcomes: Record<string, number> = {};
  for (const c of cases) {
    const d = decide(c);
    const pds = pdsPeriodAt(c.instant, defaultPdsCalendar);
    check((d.period !== null) === pds.inPds || d.outcome === 'refused', `route() and pdsPeriodAt() disagree at ${c.instant.toISOString()}`);
    if (c.study.modalitiesInStudy.includes('US') && c.study.sender.callingAeTitle !== 'UNKNOWN_AE') check(d.outcome === 'refused' && d.reason.code === 'ultrasound-not-remote', 'an ultrasound study was not refused');
    if (c.study.sender.callingAeTitle === 'UNKNOWN_AE') check(d.outcome === 'refused' && d.reason.code === 'unknown-requesting-site', 'an unknown sender was not refused');
    if (d.outcome === 'routed' && d.target.kind === 'pivot-group' && d.overflowed === undefined) {
      check(d.onCall.length > 0, `a study routed to pool ${d.target.groupId} at ${c.instant.toISOString()} with nobody on call`);
    }
    const key = d.outcome === 'routed' ? `routed to ${d.target.kind === 'provider' ? 'provider' : d.target.groupId}${d.overflowed ? ' (overflow)' : ''}` : `refused: ${d.reason.code}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  check((outcomes['routed to aab'] ?? 0) > 0 && (outcomes['routed to provider'] ?? 0) > 0 && (outcomes['refused: ultrasound-not-remote'] ?? 0) > 0, `unexpected outcome mix ${JSON.stringify(outcomes)}`);

  // The trivial router: a Map from calling AE and family to a target name.
  const table = new Map<string, string>();
  for (const s of requestingSites) {
    if (s.kind !== 'requesting') continue;
    for (const family of ['cross-sectional', 'conventional']) table.set(`${s.pacs.callingAeTitle}|${family}`, s.id === 'ch-compiegne' && family === 'cross-sectional' ? 'imadis' : 'aab');
  }
  const lookup = (c: Case): string => {
    const family = modalityFamily(c.study.modalitiesInStudy[0] ?? '');
    return table.get(`${c.study.sender.callingAeTitle ?? ''}|${family}`) ?? 'refused';
  };
  const calendar = (c: Case) => pdsPeriodAt(c.instant, defaultPdsCalendar);

  // Warm-up (JIT, the holiday and boundary caches), then interleaved rounds.
  rate(cases, 300, decide);
  rate(cases, 300, calendar);
  rate(cases, 100, lookup);
  const routeRates: number[] = [];
  const pdsRates: number[] = [];
  const lookupRates: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < options.rounds; r += 1) {
    routeRates.push(rate(cases, options.msPerRound, decide));
    pdsRates.push(rate(cases, options.msPerRound, calendar));
    lookupRates.push(rate(cases, options.msPerRound / 2, lookup));
    ratios.push((routeRates.at(-1) as number) / (pdsRates.at(-1) as number));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    routePerSecond: median(routeRates),
    pdsPerSecond: median(pdsRates),
    lookupPerSecond: median(lookupRates),
    ratio: median(ratios),
    rounds: options.rounds,
    cases: cases.length,
    rosterEntries: roster.length,
    outcomes,
  };
}
