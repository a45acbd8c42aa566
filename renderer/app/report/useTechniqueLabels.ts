import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { INTL_TAG } from '../../i18n/locale.js';
import type { TechniqueLabels } from '../../report/reportPrefill.js';
import { useLocale } from '../useLocale.js';

const NAMED_MODALITIES = new Set(['CT', 'MR', 'CR', 'DX']);

/** The technique line's words and number format in the UI language. */
export function useTechniqueLabels(): TechniqueLabels {
  const { t } = useTranslation();
  const locale = useLocale();
  return useMemo(() => {
    const decimal = new Intl.NumberFormat(INTL_TAG[locale], { maximumFractionDigits: 1 });
    return {
      modality: (code: string) => (NAMED_MODALITIES.has(code) ? t(`report.technique.modality.${code as 'CT'}`) : t('report.technique.modality.other', { code })),
      protocol: t('report.technique.protocol'),
      series: t('report.technique.series'),
      contrast: t('report.technique.contrast'),
      ctdiVol: t('report.technique.ctdiVol'),
      dlp: t('report.technique.dlp'),
      number: (value: number) => decimal.format(value),
    };
  }, [t, locale]);
}
