import { useTranslation } from 'react-i18next';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { bannerOf, formatAge, formatStudyDate } from '../../viewer/patientBanner.js';
import { useLocale } from '../useLocale.js';

/**
 * The patient banner, always on top of the images: name, sex, age, patient ID
 * with issuer, requesting site and the clinical question. When the tele-file
 * and the images disagree on the patient ID, it says so in the banner itself.
 */
export function PatientBannerBar({ teleFile, header }: { teleFile: TeleFileSummary; header: Record<string, unknown> | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const banner = bannerOf(header, teleFile);
  const studyDate = formatStudyDate(banner, locale);
  return (
    <header className="patient-banner" data-testid="patient-banner" aria-label={t('viewer.banner.label')}>
      <p className="patient-banner__name" data-testid="banner-name">
        {banner.name || t('viewer.banner.unnamed')}
      </p>
      <dl className="patient-banner__facts">
        <div>
          <dt>{t('viewer.banner.sex')}</dt>
          <dd data-testid="banner-sex">{banner.sexKey ? t(banner.sexKey) : '—'}</dd>
        </div>
        <div>
          <dt>{t('viewer.banner.age')}</dt>
          <dd data-testid="banner-age">{banner.age ? formatAge(banner.age, locale) : '—'}</dd>
        </div>
        <div>
          <dt>{t('viewer.banner.patientId')}</dt>
          <dd data-testid="banner-patient-id">
            {banner.patientId ?? '—'}
            {banner.issuer ? <span className="muted"> ({banner.issuer})</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('viewer.banner.site')}</dt>
          <dd data-testid="banner-site">{teleFile.requestingSite?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('viewer.banner.study')}</dt>
          <dd>
            {[banner.studyDescription ?? teleFile.studyDescription, studyDate].filter(Boolean).join(' · ') || '—'}
          </dd>
        </div>
        <div className="patient-banner__question">
          <dt>{t('viewer.banner.question')}</dt>
          <dd data-testid="banner-question">{teleFile.clinicalQuestion ?? t('viewer.banner.noQuestion')}</dd>
        </div>
      </dl>
      {banner.identityMismatch && (
        <p className="patient-banner__mismatch" role="alert" data-testid="banner-mismatch">
          {t('viewer.banner.identityMismatch')}
        </p>
      )}
    </header>
  );
}
