import { describe, expect, it } from 'vitest';
import { RoutingSimulation } from '../../../core/api/organisation.js';
import { buildSimulation, parseModalities } from '../../../renderer/admin/simulatorForm.js';

const form = { callingAeTitle: ' CHMONTDIDIER ', institutionName: '', modalities: 'ct, mr', date: '2026-03-29', time: '02:10' };

describe('the routing simulator form', () => {
  it('reads modalities however they are typed, each once', () => {
    expect(parseModalities('ct, MR;dx  ct/cr')).toEqual(['CT', 'MR', 'DX', 'CR']);
    expect(parseModalities(' , ')).toEqual([]);
  });

  it('builds the request the hub accepts, with the instant in UTC from Paris time', () => {
    const checked = buildSimulation({ ...form, date: '2026-01-18', time: '02:10' });
    expect(checked).toEqual({ ok: true, note: 'exact', request: { callingAeTitle: 'CHMONTDIDIER', modalities: ['CT', 'MR'], at: '2026-01-18T01:10:00.000Z' } });
    if (checked.ok) expect(RoutingSimulation.safeParse(checked.request).success).toBe(true);
  });

  it('says when the typed time does not exist that night', () => {
    expect(buildSimulation(form)).toMatchObject({ ok: true, note: 'skipped', request: { at: '2026-03-29T01:10:00.000Z' } });
  });

  it('asks for a sender, a modality, a date and a time', () => {
    expect(buildSimulation({ callingAeTitle: '', institutionName: ' ', modalities: '', date: 'x', time: '25:00' })).toEqual({
      ok: false,
      problems: { sender: 'senderRequired', modalities: 'modalitiesRequired', date: 'dateInvalid' },
    });
    expect(buildSimulation({ ...form, time: '' })).toEqual({ ok: false, problems: { time: 'timeInvalid' } });
  });
});
