import type { OrganisationInput } from '../../core/api/organisation.js';
import { DEMO_SITE_NORD, DEMO_SITE_SUD } from '../demo/demoPatients.js';

export const DEMO_POOL = 'pool-demo';

/**
 * The demo region: two fictional requesting sites matching the demo studies,
 * one pivot and one shared pool that reads CT/MR and radiographs at any time
 * (so the demo works in the daytime too). Ultrasound is refused by routing.
 */
export function demoOrganisation(): OrganisationInput {
  return {
    sites: [
      {
        kind: 'requesting',
        id: 'ch-demo-nord',
        name: 'CH Démo Nord (fictif)',
        pacs: { callingAeTitle: 'DEMO_NORD', institutionName: DEMO_SITE_NORD.institutionName, issuerOfPatientId: DEMO_SITE_NORD.issuerOfPatientId },
        delivery: { kind: 'dimse', calledAeTitle: 'DEMO_NORD_PACS', host: '127.0.0.1', port: 11112 },
      },
      {
        kind: 'requesting',
        id: 'ch-demo-sud',
        name: 'CH Démo Sud (fictif)',
        pacs: { callingAeTitle: 'DEMO_SUD', institutionName: DEMO_SITE_SUD.institutionName, issuerOfPatientId: DEMO_SITE_SUD.issuerOfPatientId },
        delivery: { kind: 'dimse', calledAeTitle: 'DEMO_SUD_PACS', host: '127.0.0.1', port: 11113 },
      },
      { kind: 'pivot', id: 'chu-demo', name: 'CHU Démo (fictif)' },
      { kind: 'reference', id: 'chu-demo-neuro', name: 'CHU Démo, neuroradiologie (fictif)', subspecialties: ['neuroradiology'] },
    ],
    coverage: {
      pivotGroups: [{ id: DEMO_POOL, name: 'Pool démo', pivotSiteIds: ['chu-demo'] }],
      rules: [
        {
          id: 'demo-all',
          requestingSiteIds: ['ch-demo-nord', 'ch-demo-sud'],
          families: ['cross-sectional', 'conventional'],
          periods: ['weeknight', 'weekend', 'holiday', 'outside-pds'],
          action: { kind: 'route', target: { kind: 'pivot-group', groupId: DEMO_POOL } },
        },
      ],
    },
    pdsCalendar: {},
  };
}
