// Routing: who reads this study, now. A pure function of the study facts, the
// instant and the regional configuration, so that the hub, the admin's routing
// simulator ("who would read this study at that time") and the benchmark all
// get the same answer, with an explanation a person can check.
import {
  type CoverageTarget,
  type Overflow,
  type RefusalReason,
  refusalReason,
  resolveCoverage,
  type ValidCoverage,
} from './coverage.js';
import { type Localized, missingCase } from './errors.js';
import { imagingModalities, type ModalityFamily, studyModalityFamily } from './modalityFamily.js';
import { holidayOn, type PdsAnswer, type PdsCalendarConfig, type PdsPeriod, pdsPeriodAt } from './pdsCalendar.js';
import { onCallAt, type PersonId, type RosterEntry } from './roster.js';
import { findRequestingSite, type SenderIdentity, type Site } from './site.js';
import { civilDateOf, formatShortInstant, formatTimeOfDay, wallClockAt, weekdayName } from './wallClock.js';

/** What the pivot PACS tells us about a new study. */
export type StudyFacts = {
  readonly sender: SenderIdentity;
  /** ModalitiesInStudy (0008,0061), or the Modality of each series. */
  readonly modalitiesInStudy: readonly string[];
};

export type RoutingContext = {
  readonly sites: readonly Site[];
  readonly coverage: ValidCoverage;
  readonly roster: readonly RosterEntry[];
  readonly pdsConfig: PdsCalendarConfig;
  /** Names shown in explanations ("Dr X"), by person id; the id is shown otherwise. */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** Tele-files routed to each pivot group and not yet claimed, for overflow by load. */
  readonly waitingByGroup?: Readonly<Record<string, number>>;
};

export type RoutedTarget =
  | { readonly kind: 'pivot-group'; readonly groupId: string; readonly name: string }
  | { readonly kind: 'provider'; readonly providerId: string; readonly name: string };

export type OnCallPerson = { readonly id: PersonId; readonly name: string };

export type RoutingDecision =
  | {
      readonly outcome: 'routed';
      readonly requestingSiteId: string;
      readonly siteMatchedBy: 'calling-ae-title' | 'institution-name';
      readonly family: ModalityFamily;
      readonly ruleId: string;
      readonly target: RoutedTarget;
      /** Readers on call for the target; empty for a provider, which dispatches internally. */
      readonly onCall: readonly OnCallPerson[];
      /** The PDS period the study arrived in; null when a day rule accepted it. */
      readonly period: PdsPeriod | null;
      /** Set when the pool's overflow sent the study straight to the provider. */
      readonly overflowed?: 'pool-load' | 'nobody-on-call';
      /** Set when the study goes to `providerId` if still unclaimed at `at`. */
      readonly overflowDeadline?: { readonly providerId: string; readonly at: Date };
      readonly explanation: Localized;
    }
  | {
      readonly outcome: 'refused';
      readonly requestingSiteId: string | null;
      readonly family: ModalityFamily;
      readonly ruleId?: string;
      readonly reason: RefusalReason;
      readonly period: PdsPeriod | null;
      readonly explanation: Localized;
    };

export function route(study: StudyFacts, instant: Date, context: RoutingContext): RoutingDecision {
  const pds = pdsPeriodAt(instant, context.pdsConfig);
  const period = pds.inPds ? pds.period : null;
  const family = studyModalityFamily(study.modalitiesInStudy);
  const match = findRequestingSite(context.sites, study.sender);
  const tz = context.pdsConfig.timeZone;

  if (!match) {
    const reason = refusalReason('unknown-requesting-site');
    const subject = describeStudy(study, senderName(study.sender), instant, context);
    return { outcome: 'refused', requestingSiteId: null, family, reason, period, explanation: refusedText(subject, reason, pds, tz) };
  }

  const site = match.site;
  const subject = describeStudy(study, { fr: site.name, en: site.name }, instant, context);
  const resolution = resolveCoverage(context.coverage, site.id, family, period ? period.kind : 'outside-pds');
  switch (resolution.kind) {
    case 'refuse':
      return {
        outcome: 'refused',
        requestingSiteId: site.id,
        family,
        ...(resolution.ruleId === undefined ? {} : { ruleId: resolution.ruleId }),
        reason: resolution.reason,
        period,
        explanation: refusedText(subject, resolution.reason, pds, tz),
      };
    case 'route': {
      const base = { outcome: 'routed' as const, requestingSiteId: site.id, siteMatchedBy: match.matchedBy, family, ruleId: resolution.ruleId, period };
      return { ...base, ...assign(resolution.target, resolution.overflow, instant, context, subject, pds) };
    }
    default:
      return missingCase(resolution);
  }
}

type Assignment = Pick<Extract<RoutingDecision, { outcome: 'routed' }>, 'target' | 'onCall' | 'overflowed' | 'overflowDeadline' | 'explanation'>;

function assign(target: CoverageTarget, overflow: Overflow | undefined, instant: Date, context: RoutingContext, subject: Localized, pds: PdsAnswer): Assignment {
  const tz = context.pdsConfig.timeZone;
  const periodText = periodSuffix(pds, tz);
  switch (target.kind) {
    case 'provider': {
      const name = siteName(context, target.providerId);
      return {
        target: { kind: 'provider', providerId: target.providerId, name },
        onCall: [],
        explanation: { fr: `${subject.fr} → prestataire ${name}${periodText.fr}`, en: `${subject.en} → provider ${name}${periodText.en}` },
      };
    }
    case 'pivot-group': {
      const group = context.coverage.pivotGroups.find((g) => g.id === target.groupId);
      const groupName = group?.name ?? target.groupId;
      const onCall = onCallAt(context.roster, { kind: 'pivot-group', groupId: target.groupId }, instant).map((id) => ({
        id,
        name: context.displayNames?.[id] ?? id,
      }));
      const waiting = context.waitingByGroup?.[target.groupId] ?? 0;
      if (overflow) {
        const overflowed =
          onCall.length === 0
            ? ('nobody-on-call' as const)
            : overflow.whenWaitingAtLeast !== undefined && waiting >= overflow.whenWaitingAtLeast
              ? ('pool-load' as const)
              : undefined;
        if (overflowed) {
          const name = siteName(context, overflow.providerId);
          const why =
            overflowed === 'nobody-on-call'
              ? { fr: `personne d'astreinte dans le pool ${groupName}`, en: `nobody on call in pool ${groupName}` }
              : { fr: `${waiting} examens en attente dans le pool ${groupName}`, en: `${waiting} studies waiting in pool ${groupName}` };
          return {
            target: { kind: 'provider', providerId: overflow.providerId, name },
            onCall: [],
            overflowed,
            explanation: {
              fr: `${subject.fr} → prestataire ${name} (débordement : ${why.fr})${periodText.fr}`,
              en: `${subject.en} → provider ${name} (overflow: ${why.en})${periodText.en}`,
            },
          };
        }
      }
      const deadline =
        overflow?.afterMinutesUnclaimed === undefined
          ? undefined
          : { providerId: overflow.providerId, at: new Date(instant.getTime() + overflow.afterMinutesUnclaimed * 60_000) };
      const who =
        onCall.length > 0
          ? { fr: `, d'astreinte : ${onCall.map((p) => p.name).join(', ')}`, en: `, on call: ${onCall.map((p) => p.name).join(', ')}` }
          : { fr: ", personne d'astreinte au tableau", en: ', nobody on call in the roster' };
      const then = deadline
        ? {
            fr: ` ; vers ${siteName(context, deadline.providerId)} si non pris à ${formatTimeOfDay(deadline.at, tz)}`,
            en: `; to ${siteName(context, deadline.providerId)} if unclaimed at ${formatTimeOfDay(deadline.at, tz)}`,
          }
        : { fr: '', en: '' };
      return {
        target: { kind: 'pivot-group', groupId: target.groupId, name: groupName },
        onCall,
        ...(deadline ? { overflowDeadline: deadline } : {}),
        explanation: {
          fr: `${subject.fr} → pool ${groupName}${who.fr}${then.fr}${periodText.fr}`,
          en: `${subject.en} → pool ${groupName}${who.en}${then.en}${periodText.en}`,
        },
      };
    }
    default:
      return missingCase(target);
  }
}

function siteName(context: RoutingContext, id: string): string {
  return context.sites.find((s) => s.id === id)?.name ?? id;
}

function senderName(sender: SenderIdentity): Localized {
  const ae = sender.callingAeTitle?.trim();
  const institution = sender.institutionName?.trim();
  if (ae && institution) return { fr: `AE « ${ae} » (${institution})`, en: `AE "${ae}" (${institution})` };
  if (ae) return { fr: `AE « ${ae} »`, en: `AE "${ae}"` };
  if (institution) return { fr: institution, en: institution };
  return { fr: 'expéditeur inconnu', en: 'unknown sender' };
}

/** "CT de CH Montdidier à 02:10 un dimanche" / "CT from CH Montdidier at 02:10 on a Sunday". */
function describeStudy(study: StudyFacts, from: Localized, instant: Date, context: RoutingContext): Localized {
  const tz = context.pdsConfig.timeZone;
  const modalities = imagingModalities(study.modalitiesInStudy);
  const what =
    modalities.length > 0 ? { fr: modalities.join('+'), en: modalities.join('+') } : { fr: 'Examen sans modalité', en: 'Study without modality' };
  const time = formatTimeOfDay(instant, tz);
  const weekday = wallClockAt(instant, tz).weekday;
  const holiday = holidayOn(civilDateOf(instant, tz), context.pdsConfig);
  const day = holiday
    ? { fr: `un jour férié (${holiday.name.fr}, ${weekdayName(weekday, 'fr')})`, en: `on a public holiday (${holiday.name.en}, ${weekdayName(weekday, 'en')})` }
    : { fr: `un ${weekdayName(weekday, 'fr')}`, en: `on a ${weekdayName(weekday, 'en')}` };
  return { fr: `${what.fr} de ${from.fr} à ${time} ${day.fr}`, en: `${what.en} from ${from.en} at ${time} ${day.en}` };
}

function periodSuffix(pds: PdsAnswer, tz: string): Localized {
  if (pds.inPds) return { fr: ` [${pds.period.label.fr}]`, en: ` [${pds.period.label.en}]` };
  return {
    fr: ` [hors PDS ; prochaine PDS ${formatShortInstant(pds.nextStart, tz, 'fr')}]`,
    en: ` [outside on-call hours; next on-call period ${formatShortInstant(pds.nextStart, tz, 'en')}]`,
  };
}

function refusedText(subject: Localized, reason: RefusalReason, pds: PdsAnswer, tz: string): Localized {
  const period = periodSuffix(pds, tz);
  return {
    fr: `${subject.fr} : refusé — ${reason.message.fr}${period.fr}`,
    en: `${subject.en}: refused — ${reason.message.en}${period.en}`,
  };
}
