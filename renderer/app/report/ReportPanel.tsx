import { memo, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import type { Macro, ReportView } from '../../../core/api/reports.js';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { describeApiError } from '../../i18n/describeApiError.js';
import { newClientId } from '../../report/draftFields.js';
import { localCopyKey } from '../../report/localCopy.js';
import { useApi } from '../ApiContext.js';
import { browserStorage } from '../browserStorage.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useLocale } from '../useLocale.js';
import { useSubmission } from '../useSubmission.js';
import { DraftEditor } from './DraftEditor.js';
import { MacroSettings } from './MacroSettings.js';
import { SignedDocument } from './SignedDocument.js';
import { useReportData, type ReportData } from './useReportData.js';

const COLLAPSED_KEY = 'vigie.report-panel.collapsed';

export interface ReportPanelProps {
  teleFile: TeleFileSummary;
  /** The first instance's DICOM JSON (technique prefill). */
  header: Record<string, unknown> | null;
  user: UserSummary;
  /**
   * The viewer's first image is still on its way: the panel shows its frame
   * and loads its reports, templates and macros once the image is there (or
   * has failed, or after a short while). Three requests and the editor's
   * first render, on a home line and a busy main thread, slowed that image.
   */
  waitForImage?: boolean;
}

/**
 * The report beside the images (issue 6): the draft editor until it is
 * signed, then the signed text with its delivery state, its addenda and
 * "Ajouter un addendum". Collapsible so the images can take the width; the
 * choice is remembered on this workstation. Keys typed in its fields never
 * reach the viewer (the viewer ignores keys aimed at a field or a dialog).
 */
// Memoised: the viewer re-renders on every image of a scroll (the cells' overlays), and the
// editor's labels cost ~8 % of a scroll's main thread when it followed (CPU profile, 2026-11-23).
export const ReportPanel = memo(function ReportPanel({ teleFile, header, user, waitForImage = false }: ReportPanelProps) {
  const { t } = useTranslation();
  const bodyId = useId();
  const titleId = useId();
  const [collapsed, setCollapsed] = useState(() => browserStorage()?.getItem(COLLAPSED_KEY) === '1');
  const [clientId] = useState(() => newClientId());
  const { data, put, setMacros, reload } = useReportData(teleFile.id, waitForImage);

  const toggle = () => {
    setCollapsed((was) => {
      try {
        browserStorage()?.setItem(COLLAPSED_KEY, was ? '0' : '1');
      } catch {
        // Only a preference: the panel still toggles.
      }
      return !was;
    });
  };

  return (
    <aside className={`report-panel${collapsed ? ' report-panel--collapsed' : ''}`} aria-labelledby={titleId} data-testid="report-panel" data-collapsed={collapsed ? 'true' : 'false'}>
      <div className="report-panel__header">
        <h2 id={titleId} className="report-panel__title">
          {t('report.title')}
        </h2>
        <button type="button" className="button button--secondary button--small report-panel__toggle" aria-expanded={!collapsed} aria-controls={bodyId} onClick={toggle} data-testid="report-panel-toggle">
          {collapsed ? t('report.expand') : t('report.collapse')}
        </button>
      </div>
      {/* Hidden, not unmounted, when collapsed: the draft keeps its caret, its autosave and its local copy. */}
      <div id={bodyId} className="report-panel__body" hidden={collapsed}>
        <ReportPanelBody data={data} teleFile={teleFile} header={header} user={user} clientId={clientId} put={put} setMacros={setMacros} reload={reload} />
      </div>
    </aside>
  );
});

/** The panel's content for one state of its data (exported for the render test). */
export function ReportPanelBody({
  data,
  teleFile,
  header,
  user,
  clientId,
  put,
  setMacros,
  reload,
}: ReportPanelProps & { data: ReportData; clientId: string; put(report: ReportView): void; setMacros(macros: readonly Macro[]): void; reload(): void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const api = useApi();
  const [macroSettings, setMacroSettings] = useState(false);
  const addendum = useSubmission();

  if (data.kind === 'loading') {
    return (
      <p className="muted" role="status" data-testid="report-loading">
        {t('report.loading')}
      </p>
    );
  }
  if (data.kind === 'failed') {
    return (
      <div data-testid="report-load-failed">
        <p>{t('report.loadFailed')}</p>
        <ErrorAlert error={describeApiError(data.error, t, locale)} />
        <button type="button" className="button button--secondary button--small" onClick={reload}>
          {t('report.retry')}
        </button>
      </div>
    );
  }

  const main = data.reports.find((report) => report.kind === 'report') ?? null;
  const addenda = data.reports.filter((report) => report.kind === 'addendum');
  const draftAddendum = addenda.find((report) => report.status === 'draft') ?? null;
  const signedDocs = data.reports.filter((report) => report.status === 'signed');
  // An addendum corrects the previous signed document (core/api/reports.ts predecessorId).
  const lastSigned = signedDocs.reduce<ReportView | null>((latest, report) => (latest === null || (report.signedAt ?? '') > (latest.signedAt ?? '') ? report : latest), null);
  const editorProps = { teleFile, header, user, templates: data.templates, macros: data.macros, clientId, onSaved: put, onSigned: put };

  return (
    <>
      <div className="report-panel__tools">
        <button type="button" className="button button--link small" onClick={() => setMacroSettings(true)} data-testid="report-macros">
          {t('report.macros.open')}
        </button>
      </div>
      {(main === null || main.status === 'draft') && teleFile.assignee?.id !== user.id && (
        <p className="alert alert--info small" role="status" data-testid="report-not-assigned">
          {t('report.notAssigned')}
        </p>
      )}
      {main === null || main.status === 'draft' ? (
        <DraftEditor key={localCopyKey(user.id, { kind: 'report', teleFileId: teleFile.id })} kind="report" report={main} {...editorProps} />
      ) : (
        <>
          <SignedDocument report={main} testId="report-signed" deliveryTestId="report-delivery-state" />
          <section className="report-addenda" aria-label={t('report.addenda.title')}>
            {addenda.length > 0 && <h3 className="report-addenda__title">{t('report.addenda.title')}</h3>}
            {addenda
              .filter((report) => report.status === 'signed')
              .map((report) => (
                <SignedDocument key={report.id} report={report} testId="report-addendum" deliveryTestId="addendum-delivery-state" />
              ))}
            {draftAddendum !== null && draftAddendum.updatedBy !== null && draftAddendum.updatedBy.id !== user.id ? (
              // Another reader's addendum: only its author may write it (the hub answers 403 to anyone else).
              <p className="muted" data-testid="report-addendum-other">
                {t('report.addenda.otherDraft', { name: draftAddendum.updatedBy.displayName })}
              </p>
            ) : draftAddendum !== null ? (
              <div className="report-addenda__draft">
                <h4>{t('report.addenda.draft')}</h4>
                <DraftEditor key={localCopyKey(user.id, { kind: 'addendum', reportId: draftAddendum.id })} kind="addendum" report={draftAddendum} {...editorProps} />
              </div>
            ) : (
              <>
                <ErrorAlert error={addendum.error} />
                <button
                  type="button"
                  className="button button--secondary"
                  disabled={addendum.pending || lastSigned === null}
                  onClick={() => {
                    if (lastSigned === null) return;
                    void addendum.run(async () => put(await api.createAddendum(lastSigned.id)));
                  }}
                  data-testid="report-add-addendum"
                >
                  {t('report.addenda.add')}
                </button>
              </>
            )}
          </section>
        </>
      )}
      {macroSettings && (
        <MacroSettings
          macros={data.macros}
          onClose={(saved) => {
            if (saved !== null) setMacros(saved);
            setMacroSettings(false);
          }}
        />
      )}
    </>
  );
}
