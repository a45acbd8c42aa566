import { useTranslation } from 'react-i18next';
import { EXAM_FAMILIES, type ReportTemplate } from '../../../core/api/reports.js';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { suggestedFamily } from '../../report/reportPrefill.js';
import { SelectField } from '../components/SelectField.js';

/** Templates grouped by exam family, this study's likely family first. */
export function TemplatePicker({
  teleFile,
  templates,
  value,
  disabled,
  onPick,
}: {
  teleFile: TeleFileSummary;
  templates: readonly ReportTemplate[];
  value: string | null;
  disabled: boolean;
  onPick(template: ReportTemplate | null): void;
}) {
  const { t } = useTranslation();
  const suggested = suggestedFamily(teleFile);
  const families = [...EXAM_FAMILIES].sort((a, b) => Number(b === suggested) - Number(a === suggested));
  return (
    <SelectField
      label={t('report.template.label')}
      value={value ?? ''}
      disabled={disabled}
      onChange={(event) => onPick(templates.find((template) => template.id === event.target.value) ?? null)}
      data-testid="report-template-select"
      data-suggested-family={suggested ?? ''}
    >
      <option value="">{t('report.template.none')}</option>
      {families.map((family) => {
        const ofFamily = templates.filter((template) => template.family === family);
        if (ofFamily.length === 0) return null;
        const label = family === suggested ? `${t(`report.families.${family}`)} — ${t('report.template.suggested')}` : t(`report.families.${family}`);
        return (
          <optgroup key={family} label={label}>
            {ofFamily.map((template) => (
              <option key={template.id} value={template.id}>
                {template.title}
              </option>
            ))}
          </optgroup>
        );
      })}
    </SelectField>
  );
}
