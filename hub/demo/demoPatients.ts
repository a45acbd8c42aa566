/**
 * The fictional patients and requesting sites of the demo studies. Every
 * name starts with DEMO and every site is labelled FICTIF so nothing here can
 * be mistaken for, or collide with, a real patient or hospital.
 */

export interface DemoSite {
  /** IssuerOfPatientID: the namespace of the site's patient IDs. */
  issuerOfPatientId: string;
  institutionName: string;
}

export const DEMO_SITE_NORD: DemoSite = { issuerOfPatientId: 'CH-DEMO-NORD', institutionName: 'CH DEMO NORD (FICTIF)' };
export const DEMO_SITE_SUD: DemoSite = { issuerOfPatientId: 'CH-DEMO-SUD', institutionName: 'CH DEMO SUD (FICTIF)' };

export interface DemoPatient {
  /** PN, always `DEMO^…`. */
  name: string;
  id: string;
  site: DemoSite;
  birthDate: string;
  sex: 'M' | 'F';
}

export const DEMO_PATIENTS = {
  headCt: { name: 'DEMO^CRANE', id: 'DEMO-0001', site: DEMO_SITE_NORD, birthDate: '19570412', sex: 'M' },
  chestRadiograph: { name: 'DEMO^THORAX', id: 'DEMO-0002', site: DEMO_SITE_SUD, birthDate: '19840923', sex: 'F' },
  abdomenCt: { name: 'DEMO^ABDOMEN', id: 'DEMO-0003', site: DEMO_SITE_NORD, birthDate: '19690207', sex: 'F' },
  ultrasound: { name: 'DEMO^ECHO', id: 'DEMO-0004', site: DEMO_SITE_SUD, birthDate: '19921130', sex: 'M' },
} as const satisfies Record<string, DemoPatient>;
