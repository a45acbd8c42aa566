import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMUNICATION_MEANS, type CriticalFinding } from '../../../core/api/reports.js';
import { isoToParisLocal, parisLocalToIso } from '../../report/signReadiness.js';
import { SelectField } from '../components/SelectField.js';
import { TextField } from '../components/TextField.js';

/**
 * The critical-finding flag and, once set, whom it was told to, how and when
 * (Paris time, whatever the workstation's zone). Each is required before
 * signing; the hint says so next to the field, not only in the sign dialog.
 */
export function CriticalFindingFields({ critical, readOnly, onChange }: { critical: CriticalFinding; readOnly: boolean; onChange(next: CriticalFinding): void }) {
  const { t } = useTranslation();
  const { communication } = critical;
  // The input's text, kept while it is not yet a complete date (the stored value is an instant or null).
  const [atText, setAtText] = useState(() => isoToParisLocal(communication.at));
  useEffect(() => {
    // Another version was taken (conflict) or restored: show its instant.
    setAtText((text) => (parisLocalToIso(text) === communication.at ? text : isoToParisLocal(communication.at)));
  }, [communication.at]);

  const setCommunication = (patch: Partial<CriticalFinding['communication']>) => onChange({ ...critical, communication: { ...communication, ...patch } });
  const required = (missing: boolean) => (missing ? t('report.critical.required') : undefined);

  return (
    <div className={`report-critical${critical.flagged ? ' report-critical--flagged' : ''}`}>
      <label className="report-critical__flag">
        <input type="checkbox" checked={critical.flagged} disabled={readOnly} onChange={(event) => onChange({ ...critical, flagged: event.target.checked })} data-testid="report-critical-flag" />
        {t('report.critical.flag')}
      </label>
      {critical.flagged && (
        <fieldset className="report-critical__fields" disabled={readOnly}>
          <legend className="visually-hidden">{t('report.critical.legend')}</legend>
          <TextField
            label={t('report.critical.to')}
            value={communication.to}
            maxLength={200}
            aria-required="true"
            placeholder={t('report.critical.toHint')}
            hint={required(communication.to.trim() === '')}
            onChange={(event) => setCommunication({ to: event.target.value })}
            data-testid="report-critical-to"
          />
          <SelectField
            label={t('report.critical.means')}
            value={communication.means ?? ''}
            aria-required="true"
            hint={required(communication.means === null)}
            onChange={(event) => {
              const means = COMMUNICATION_MEANS.find((value) => value === event.target.value) ?? null;
              setCommunication({ means });
            }}
            data-testid="report-critical-means"
          >
            <option value="">{t('report.critical.meansChoose')}</option>
            {COMMUNICATION_MEANS.map((means) => (
              <option key={means} value={means}>
                {t(`report.critical.meansOptions.${means}`)}
              </option>
            ))}
          </SelectField>
          <div className="report-critical__at">
            <TextField
              label={t('report.critical.at')}
              type="datetime-local"
              value={atText}
              aria-required="true"
              hint={required(communication.at === null)}
              onChange={(event) => {
                setAtText(event.target.value);
                setCommunication({ at: parisLocalToIso(event.target.value) });
              }}
              data-testid="report-critical-at"
            />
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => {
                const now = new Date();
                now.setSeconds(0, 0);
                const iso = now.toISOString();
                setAtText(isoToParisLocal(iso));
                setCommunication({ at: iso });
              }}
              data-testid="report-critical-now"
            >
              {t('report.critical.now')}
            </button>
          </div>
        </fieldset>
      )}
    </div>
  );
}
