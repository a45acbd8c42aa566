import type { PriorStudy } from '../../core/api/priors.js';
import type { PatientStudy } from '../pacs/patientStudies.js';
import type { Services } from '../services.js';
import { PriorStudies } from './priors.js';

/**
 * The hub's one PriorStudies, created on first use by the routes that need
 * it (the DICOMweb proxy and /api/tele-files/:id/priors) and handed to
 * StudyAccess: services.pacs is only known once the hub has started.
 */
export function priorsOf(services: Services): PriorStudies {
  services.studyAccess.priors ??= new PriorStudies(
    () => services.pacs,
    async () => (await services.organisation.active())?.organisation.sites ?? [],
  );
  return services.studyAccess.priors;
}

/** A PACS study → the viewer's PriorStudy (dates in ISO form). */
export function toPriorStudy(study: PatientStudy): PriorStudy {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(study.studyDate.trim());
  const t = /^(\d{2})(\d{2})?(\d{2})?/.exec(study.studyTime.replace(/[^0-9.]/g, ''));
  return {
    studyInstanceUid: study.studyInstanceUid,
    studyDate: d ? `${d[1]}-${d[2]}-${d[3]}` : null,
    studyTime: t ? `${t[1]}:${t[2] ?? '00'}:${t[3] ?? '00'}` : null,
    studyDescription: study.studyDescription,
    modalitiesInStudy: study.modalitiesInStudy,
    numberOfSeries: study.numberOfSeries !== null && study.numberOfSeries >= 0 ? Math.trunc(study.numberOfSeries) : null,
    numberOfInstances: study.numberOfInstances !== null && study.numberOfInstances >= 0 ? Math.trunc(study.numberOfInstances) : null,
  };
}
