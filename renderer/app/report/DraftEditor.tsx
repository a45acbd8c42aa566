import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserSummary } from '../../../core/api/auth.js';
import { EMPTY_CONTENT, NO_CRITICAL_FINDING, type Macro, type ReportKind, type ReportSection, type ReportTemplate, type ReportView } from '../../../core/api/reports.js';
import type { TeleFileSummary } from '../../../core/api/teleFiles.js';
import { DraftAutosave, type SaveState } from '../../report/draftAutosave.js';
import { fieldsOf, type DraftFields } from '../../report/draftFields.js';
import { localCopyKey, readLocalCopy, removeLocalCopy, startingPoint } from '../../report/localCopy.js';
import { applyTemplate, indicationOf, techniqueFacts, techniqueLine } from '../../report/reportPrefill.js';
import { signBlockers } from '../../report/signReadiness.js';
import { expandMacro, insertAtCaret } from '../../report/textEditing.js';
import { formatRetryTime } from '../../format/dateTime.js';
import { useApi } from '../ApiContext.js';
import { useLocale } from '../useLocale.js';
import { browserStorage } from '../browserStorage.js';
import { TextAreaField } from '../components/TextAreaField.js';
import { ConflictNotice } from './ConflictNotice.js';
import { CriticalFindingFields } from './CriticalFindingFields.js';
import { SaveStatus } from './SaveStatus.js';
import { SignDialog } from './SignDialog.js';
import { TemplatePicker } from './TemplatePicker.js';
import { useTechniqueLabels } from './useTechniqueLabels.js';

export interface DraftEditorProps {
  kind: ReportKind;
  /** The hub's draft; null before the report's first save. An addendum always has one (createAddendum). */
  report: ReportView | null;
  teleFile: TeleFileSummary;
  header: Record<string, unknown> | null;
  user: UserSummary;
  templates: readonly ReportTemplate[];
  macros: readonly Macro[];
  clientId: string;
  onSaved(report: ReportView): void;
  onSigned(report: ReportView): void;
}

/** An addendum corrects: its findings and conclusion are what it says. */
const SECTIONS: Record<ReportKind, readonly ReportSection[]> = {
  report: ['indication', 'technique', 'findings', 'conclusion'],
  addendum: ['findings', 'conclusion'],
};

/**
 * A draft being written: the sections, template, pick lists, macros and the
 * critical finding, saved as it is typed (DraftAutosave), then signed.
 * Keyed by its local-copy key in the parent, so another report is another editor.
 */
export function DraftEditor(props: DraftEditorProps) {
  const { kind, report, teleFile, header, user, templates, macros, clientId, onSaved, onSigned } = props;
  const { t } = useTranslation();
  const api = useApi();
  const locale = useLocale();
  const labels = useTechniqueLabels();
  const key = localCopyKey(user.id, report === null || kind === 'report' ? { kind: 'report', teleFileId: teleFile.id } : { kind: 'addendum', reportId: report.id });

  // Where this editor starts: an unsaved local copy newer than the hub's draft, the hub's draft, or a prefilled new report.
  const [start] = useState(() => {
    const point = startingPoint(report, readLocalCopy(browserStorage(), key));
    if (point.source === 'local') return { fields: point.copy.fields, baseVersion: point.copy.baseVersion, restoredAt: point.copy.editedAt };
    if (report !== null) return { fields: fieldsOf(report), baseVersion: report.version, restoredAt: null };
    const prefill = applyTemplate(null, EMPTY_CONTENT, { indication: indicationOf(teleFile), technique: techniqueLine(techniqueFacts(header), labels) });
    return { fields: { content: prefill.content, critical: NO_CRITICAL_FINDING, templateId: null }, baseVersion: 0, restoredAt: null };
  });
  const [fields, setFields] = useState<DraftFields>(start.fields);
  const [saveState, setSaveState] = useState<SaveState>(start.restoredAt === null ? { kind: 'saved', savedAt: report?.updatedAt ?? null } : { kind: 'pending' });
  const [saved, setSavedState] = useState<ReportView | null>(report);
  // Read after awaiting a flush, when this render's `saved` is already old news.
  const savedRef = useRef<ReportView | null>(report);
  const setSaved = (next: ReportView) => {
    savedRef.current = next;
    setSavedState(next);
  };
  const [hasLocalCopy, setHasLocalCopy] = useState(true);
  const [signing, setSigning] = useState(false);
  const [notSaved, setNotSaved] = useState(false);
  const [keptNote, setKeptNote] = useState<ReportSection[]>([]);
  const autosaveRef = useRef<DraftAutosave | null>(null);
  const areas = useRef(new Map<ReportSection, HTMLTextAreaElement>());
  const caretAfterRender = useRef<{ section: ReportSection; caret: number } | null>(null);
  // The latest values the autosave's callbacks need, without re-creating it.
  const latest = useRef({ fields, onSaved });
  latest.current = { fields, onSaved };

  useEffect(() => {
    const autosave = new DraftAutosave({
      save: (request) => (kind === 'addendum' && report !== null ? api.saveAddendumDraft(report.id, request) : api.saveDraft(teleFile.id, request)),
      onSaved: (next) => {
        setSaved(next);
        latest.current.onSaved(next);
      },
      onChange: (state) => {
        setSaveState(state);
        setHasLocalCopy(autosave.hasLocalCopy);
      },
      fields: latest.current.fields,
      baseVersion: start.baseVersion,
      clientId,
      store: browserStorage(),
      key,
      unsaved: start.restoredAt !== null,
    });
    autosaveRef.current = autosave;
    const flush = () => void autosave.flush();
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', flush);
      document.removeEventListener('visibilitychange', onVisibility);
      // Leaving the viewer: what was typed goes now; the local copy covers the rest.
      flush();
      autosave.dispose();
      autosaveRef.current = null;
    };
    // One autosave per draft: the parent keys this editor by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Put the caret after a macro or a pick-list insertion once React has written the new text.
  useLayoutEffect(() => {
    const pending = caretAfterRender.current;
    if (pending === null) return;
    caretAfterRender.current = null;
    const area = areas.current.get(pending.section);
    area?.setSelectionRange(pending.caret, pending.caret);
  });

  const conflict = saveState.kind === 'conflict' ? saveState.current : null;
  const readOnly = conflict !== null;

  const update = (next: DraftFields) => {
    if (readOnly) return;
    setFields(next);
    setNotSaved(false);
    autosaveRef.current?.edit(next);
  };
  const setSection = (section: ReportSection, text: string, caret?: number) => {
    update({ ...fields, content: { ...fields.content, [section]: text } });
    if (caret !== undefined) caretAfterRender.current = { section, caret };
  };

  const onSectionKey = (section: ReportSection) => (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const area = event.currentTarget;
    if (event.altKey || event.ctrlKey || event.metaKey || area.selectionStart !== area.selectionEnd) return;
    const trigger = event.key === 'Tab' && !event.shiftKey ? 'tab' : event.key === ' ' ? 'space' : null;
    if (trigger === null) return;
    const expanded = expandMacro(area.value, area.selectionStart, macros, trigger);
    if (expanded === null) return; // Tab moves on as usual
    event.preventDefault();
    setSection(section, expanded.text, expanded.caret);
  };

  const insertPick = (section: ReportSection, phrase: string) => {
    const area = areas.current.get(section);
    const text = fields.content[section];
    const edit = insertAtCaret(text, area?.selectionStart ?? text.length, area?.selectionEnd ?? text.length, phrase);
    setSection(section, edit.text, edit.caret);
    area?.focus();
  };

  const template = useMemo(() => templates.find((item) => item.id === fields.templateId) ?? null, [templates, fields.templateId]);
  const blockers = signBlockers(kind, fields.content, fields.critical);

  const openSign = async () => {
    const autosave = autosaveRef.current;
    if (autosave === null) return;
    await autosave.flush();
    if (autosave.state.kind !== 'saved' || savedRef.current === null) {
      setNotSaved(true);
      return;
    }
    setSigning(true);
  };

  return (
    <div className="report-editor" data-testid={kind === 'report' ? 'report-editor' : 'addendum-editor'} data-report-id={saved?.id ?? ''}>
      {kind === 'report' && (
        <TemplatePicker
          teleFile={teleFile}
          templates={templates}
          value={fields.templateId}
          disabled={readOnly}
          onPick={(picked) => {
            if (picked === null) {
              update({ ...fields, templateId: null });
              setKeptNote([]);
              return;
            }
            const applied = applyTemplate(picked, fields.content, { indication: indicationOf(teleFile), technique: techniqueLine(techniqueFacts(header), labels) });
            update({ ...fields, content: applied.content, templateId: picked.id });
            setKeptNote(applied.kept);
          }}
        />
      )}
      {keptNote.length > 0 && (
        <p className="alert alert--info small" role="status">
          {t('report.template.kept', { sections: keptNote.map((section) => t(`report.sections.${section}`)).join(', ') })}
        </p>
      )}
      {start.restoredAt !== null && (
        <p className="alert alert--info small" role="status" data-testid="report-restored">
          {t('report.save.restored', { time: formatRetryTime(new Date(start.restoredAt), locale) })}
        </p>
      )}
      {conflict !== null && (
        <ConflictNotice
          current={conflict}
          clientId={clientId}
          user={user}
          onChoose={(choice) => {
            const autosave = autosaveRef.current;
            if (autosave === null) return;
            autosave.resolveConflict(choice);
            setFields(autosave.fields);
            if (choice === 'theirs' || conflict.status === 'signed') {
              setSaved(conflict);
              onSaved(conflict);
            }
          }}
        />
      )}
      {SECTIONS[kind].map((section) => (
        <div key={section} className="report-section">
          <TextAreaField
            ref={(element) => {
              if (element) areas.current.set(section, element);
              else areas.current.delete(section);
            }}
            label={t(`report.sections.${section}`)}
            value={fields.content[section]}
            rows={section === 'findings' ? 8 : section === 'conclusion' ? 4 : 3}
            maxLength={20_000}
            readOnly={readOnly}
            spellCheck
            lang="fr"
            onChange={(event) => setSection(section, event.target.value)}
            onKeyDown={onSectionKey(section)}
            onBlur={() => void autosaveRef.current?.flush()}
            data-testid={`report-section-${section}`}
          />
          {template?.pickLists
            .filter((list) => list.section === section)
            .map((list) => (
              <div key={list.label} className="report-picklist" role="group" aria-label={t('report.pickList', { section: t(`report.sections.${section}`), label: list.label })}>
                <span className="report-picklist__label small muted" aria-hidden="true">
                  {list.label}
                </span>
                {list.options.map((option) => (
                  <button
                    key={option}
                    type="button"
                    className="button button--secondary button--small"
                    disabled={readOnly}
                    // Keep the caret where it was in the section: the click must not move the focus first.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => insertPick(section, option)}
                    data-testid="report-pick"
                  >
                    {option}
                  </button>
                ))}
              </div>
            ))}
        </div>
      ))}
      {macros.length > 0 && <p className="muted small">{t('report.macros.hint')}</p>}
      <CriticalFindingFields critical={fields.critical} readOnly={readOnly} onChange={(critical) => update({ ...fields, critical })} />
      <div className="report-editor__footer">
        <SaveStatus state={saveState} hasLocalCopy={hasLocalCopy} />
        <button type="button" className="button button--primary" onClick={() => void openSign()} disabled={readOnly} data-testid="report-sign">
          {t('report.sign.open')}
        </button>
      </div>
      {notSaved && (
        <p className="alert alert--warning small" role="alert">
          {t('report.sign.notSaved')}
        </p>
      )}
      {signing && saved !== null && (
        <SignDialog
          report={saved}
          teleFile={teleFile}
          blockers={blockers}
          onClose={() => setSigning(false)}
          onSigned={(signed) => {
            removeLocalCopy(browserStorage(), key);
            setSigning(false);
            onSigned(signed);
          }}
        />
      )}
    </div>
  );
}
