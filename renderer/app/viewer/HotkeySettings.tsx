import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CACHE_BUDGET_MAX_MB,
  CACHE_BUDGET_MIN_MB,
  DEFAULT_VIEWER_PREFERENCES,
  VIEWER_LAYOUTS,
  type ViewerLayout,
  type ViewerPreferences,
} from '../../../core/api/viewerPreferences.js';
import { isSessionLost } from '../../api/sessionGuard.js';
import {
  DEFAULT_HOTKEYS,
  RESERVED_KEYS,
  bindingsFrom,
  conflicts,
  hotkeyHelpRows,
  keyOf,
  overridesOf,
  withKey,
  withoutKey,
  type HotkeyBindings,
  type HotkeyGroup,
  type ViewerAction,
} from '../../viewer/hotkeys.js';
import { IMAGE_RENDERING_CHOICES, readImageRendering, saveImageRendering, type ImageRendering } from '../../viewer/stackRendering.js';
import { useApi } from '../ApiContext.js';
import { browserStorage } from '../browserStorage.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { SelectField } from '../components/SelectField.js';
import { TextField } from '../components/TextField.js';
import { useSubmission } from '../useSubmission.js';

const GROUPS: readonly HotkeyGroup[] = ['tools', 'navigation', 'view', 'presets', 'layout', 'viewer'];

/**
 * The reader's viewer keys (issue 5): every action with its keys, a key added
 * by pressing it, conflicts shown where they are, back to the defaults, saved
 * on the hub so that the same keys follow the reader to any workstation.
 * Nothing is saved until "Save"; a conflict blocks saving (the hub refuses it too).
 */
export function HotkeySettings({
  onClose,
  onSaved,
}: {
  /** Given what was saved while the panel was open (the last save), or null when nothing was. */
  onClose?(saved: ViewerPreferences | null): void;
  onSaved?(preferences: ViewerPreferences): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const submission = useSubmission();
  const [loading, setLoading] = useState(true);
  const [loadFailed, setLoadFailed] = useState(false);
  const [bindings, setBindings] = useState<HotkeyBindings>(DEFAULT_HOTKEYS);
  const [cacheBudget, setCacheBudget] = useState(String(DEFAULT_VIEWER_PREFERENCES.cacheBudgetMb));
  const [layout, setLayout] = useState<ViewerLayout>(DEFAULT_VIEWER_PREFERENCES.defaultLayout);
  const [rendering, setRendering] = useState<ImageRendering>(() => readImageRendering(browserStorage()));
  const [renderingNotKept, setRenderingNotKept] = useState(false);
  const [capturing, setCapturing] = useState<ViewerAction | null>(null);
  const [refusedKey, setRefusedKey] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [lastSaved, setLastSaved] = useState<ViewerPreferences | null>(null);

  useEffect(() => {
    let current = true;
    api.viewerPreferences().then(
      (preferences) => {
        if (!current) return;
        setBindings(bindingsFrom(preferences.hotkeys));
        setCacheBudget(String(preferences.cacheBudgetMb));
        setLayout(preferences.defaultLayout);
        setLoading(false);
      },
      (error: unknown) => {
        if (!current || isSessionLost(error)) return;
        setLoadFailed(true);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [api]);

  const edited = (next: HotkeyBindings) => {
    setBindings(next);
    setSaved(false);
  };

  const found = conflicts(bindings);
  const conflictsOf = (action: ViewerAction) => found.filter((conflict) => conflict.actions.includes(action));
  const actionLabel = (action: ViewerAction) => t(`viewer.actions.${action}`);

  function capture(action: ViewerAction, event: KeyboardEvent<HTMLButtonElement>) {
    // Tab still moves the focus (no keyboard trap); leaving the button ends the capture.
    if (event.key === 'Tab') return;
    event.preventDefault();
    // The viewer behind this panel must not act on the key being captured.
    event.stopPropagation();
    const key = keyOf(event);
    if (key === '') return;
    setCapturing(null);
    if (RESERVED_KEYS.has(key)) {
      setRefusedKey(key);
      return;
    }
    setRefusedKey(null);
    edited(withKey(bindings, action, key));
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (found.length > 0) return;
    // The workstation's own setting is kept in this browser whatever the hub answers.
    setRenderingNotKept(!saveImageRendering(browserStorage(), rendering));
    await submission.run(async () => {
      const answer = await api.saveViewerPreferences({ hotkeys: overridesOf(DEFAULT_HOTKEYS, bindings), cacheBudgetMb: Number(cacheBudget), defaultLayout: layout });
      setSaved(true);
      setLastSaved(answer);
      onSaved?.(answer);
    });
  }

  const rows = hotkeyHelpRows(bindings);
  const hubFields = submission.error?.fields ?? {};

  return (
    <section className="hotkey-settings" aria-labelledby="hotkey-settings-title" data-testid="hotkey-settings">
      <div className="page-heading">
        <div>
          <h2 id="hotkey-settings-title">{t('viewer.hotkeys.title')}</h2>
          <p className="muted">{t('viewer.hotkeys.intro')}</p>
        </div>
        {onClose && (
          <div className="page-heading__side">
            <button type="button" className="button button--secondary button--small" onClick={() => onClose(lastSaved)} data-testid="hotkey-settings-close">
              {t('viewer.hotkeys.close')}
            </button>
          </div>
        )}
      </div>
      {loading && <p role="status">{t('viewer.hotkeys.loading')}</p>}
      {loadFailed && (
        <div className="alert alert--warning" role="status">
          <p>{t('viewer.hotkeys.loadFailed')}</p>
        </div>
      )}
      <form className="form" noValidate onSubmit={(event) => void save(event)} aria-busy={loading}>
        {found.length > 0 && (
          <div className="alert alert--error" role="alert" data-testid="hotkey-conflicts">
            <p>{t('viewer.hotkeys.conflictsSummary')}</p>
          </div>
        )}
        {refusedKey !== null && (
          <div className="alert alert--warning" role="alert">
            <p>{t('viewer.hotkeys.reservedKey', { key: refusedKey })}</p>
          </div>
        )}
        {GROUPS.map((group) => (
          <table key={group} className="hotkey-settings__table">
            <caption>{t(`viewer.hotkeys.groups.${group}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('viewer.hotkeys.action')}</th>
                <th scope="col">{t('viewer.hotkeys.keys')}</th>
              </tr>
            </thead>
            <tbody>
              {rows
                .filter((row) => row.group === group)
                .map(({ action, labelKey, keys }) => (
                  <tr key={action} data-action={action}>
                    <th scope="row">{t(labelKey)}</th>
                    <td>
                      {keys.length === 0 && <span className="muted">{t('viewer.hotkeys.none')} </span>}
                      {keys.map((key) => (
                        <button
                          key={key}
                          type="button"
                          className="button button--secondary button--small"
                          aria-label={t('viewer.hotkeys.removeKey', { key, action: actionLabel(action) })}
                          onClick={() => edited(withoutKey(bindings, action, key))}
                        >
                          <kbd>{key}</kbd> ×
                        </button>
                      ))}{' '}
                      {capturing === action ? (
                        // autoFocus: the capture starts from the click on "Add a key", which this button replaces.
                        <button
                          type="button"
                          className="button button--primary button--small"
                          autoFocus
                          onKeyDown={(event) => capture(action, event)}
                          onBlur={() => setCapturing(null)}
                          onClick={() => setCapturing(null)}
                          data-testid="hotkey-capture"
                        >
                          {t('viewer.hotkeys.capturing')} ({t('viewer.hotkeys.cancelCapture')})
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button button--link"
                          aria-label={t('viewer.hotkeys.changeLabel', { action: actionLabel(action) })}
                          onClick={() => setCapturing(action)}
                        >
                          {t('viewer.hotkeys.change')}
                        </button>
                      )}
                      {conflictsOf(action).map((conflict) => (
                        <p key={conflict.key} className="field__error">
                          {t('viewer.hotkeys.conflict', { key: conflict.key, actions: conflict.actions.map(actionLabel).join(', ') })}
                        </p>
                      ))}
                      {hubFields[`hotkeys.${action}`] !== undefined && <p className="field__error">{hubFields[`hotkeys.${action}`]}</p>}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        ))}
        <TextField
          label={t('viewer.hotkeys.cacheBudget')}
          hint={t('viewer.hotkeys.cacheBudgetHint', { min: CACHE_BUDGET_MIN_MB, max: CACHE_BUDGET_MAX_MB })}
          type="number"
          inputMode="numeric"
          min={CACHE_BUDGET_MIN_MB}
          max={CACHE_BUDGET_MAX_MB}
          step={128}
          value={cacheBudget}
          error={hubFields.cacheBudgetMb}
          onChange={(event) => {
            setCacheBudget(event.target.value);
            setSaved(false);
          }}
        />
        <SelectField
          label={t('viewer.hotkeys.defaultLayout')}
          value={layout}
          error={hubFields.defaultLayout}
          onChange={(event) => {
            setLayout(event.target.value as ViewerLayout);
            setSaved(false);
          }}
        >
          {VIEWER_LAYOUTS.map((id) => (
            <option key={id} value={id}>
              {t(`viewer.actions.layout.${id}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('viewer.hotkeys.imageRendering')}
          hint={t('viewer.hotkeys.imageRenderingHint')}
          value={rendering}
          error={renderingNotKept ? t('viewer.hotkeys.imageRenderingNotKept') : null}
          data-testid="image-rendering"
          onChange={(event) => {
            setRendering(event.target.value as ImageRendering);
            setSaved(false);
          }}
        >
          {IMAGE_RENDERING_CHOICES.map((id) => (
            <option key={id} value={id}>
              {t(`viewer.hotkeys.imageRenderingChoices.${id}`)}
            </option>
          ))}
        </SelectField>
        <ErrorAlert error={submission.error} />
        {saved && (
          <p role="status" className="alert alert--info" data-testid="hotkeys-saved">
            {t('viewer.hotkeys.saved')}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={loading || submission.pending || found.length > 0}>
            {submission.pending ? t('viewer.hotkeys.saving') : t('viewer.hotkeys.save')}
          </button>
          <button type="button" className="button button--secondary" onClick={() => edited(DEFAULT_HOTKEYS)}>
            {t('viewer.hotkeys.resetAll')}
          </button>
        </div>
      </form>
    </section>
  );
}
