import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { hotkeyHelpRows, type HotkeyBindings, type HotkeyGroup } from '../../viewer/hotkeys.js';

const GROUPS: readonly HotkeyGroup[] = ['tools', 'navigation', 'view', 'presets', 'layout', 'viewer'];

/** The on-screen list of every viewer key, as this reader has them (their own bindings, not the defaults). */
export function HotkeyHelp({ bindings, onClose, onCustomise }: { bindings: HotkeyBindings; onClose(): void; onCustomise(): void }) {
  const { t } = useTranslation();
  const rows = hotkeyHelpRows(bindings);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="hotkey-help" role="dialog" aria-modal="true" aria-labelledby="hotkey-help-title" data-testid="hotkey-help">
      <div className="hotkey-help__panel">
        <div className="page-heading">
          <h2 id="hotkey-help-title">{t('viewer.help.title')}</h2>
          <div className="page-heading__side">
            <button type="button" className="button button--secondary button--small" onClick={onCustomise} data-testid="hotkey-customise">
              {t('viewer.help.customise')}
            </button>
            <button ref={closeRef} type="button" className="button button--primary button--small" onClick={onClose}>
              {t('viewer.help.close')}
            </button>
          </div>
        </div>
        <p className="muted small">{t('viewer.help.mouse')}</p>
        <div className="hotkey-help__groups">
          {GROUPS.map((group) => (
            <table key={group} className="hotkey-help__table">
              <caption>{t(`viewer.help.groups.${group}`)}</caption>
              <tbody>
                {rows
                  .filter((row) => row.group === group)
                  .map((row) => (
                    <tr key={row.action}>
                      <th scope="row">{t(row.labelKey)}</th>
                      <td>{row.keys.length === 0 ? '—' : row.keys.map((key) => <kbd key={key}>{key}</kbd>)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ))}
        </div>
      </div>
    </div>
  );
}
