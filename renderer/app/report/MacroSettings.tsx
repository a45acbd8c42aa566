import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MacroList, type Macro } from '../../../core/api/reports.js';
import { useApi } from '../ApiContext.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useSubmission } from '../useSubmission.js';

interface Row {
  key: number;
  shortcut: string;
  text: string;
}

/**
 * This person's macros as a small list editor: one row per shortcut and its
 * text, checked with the core schema before it is sent (the hub checks again).
 */
export function MacroSettings({ macros, onClose }: { macros: readonly Macro[]; onClose(saved: readonly Macro[] | null): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const titleId = useId();
  const { pending, error, run } = useSubmission();
  const nextKey = useRef(macros.length);
  const [rows, setRows] = useState<Row[]>(() => macros.map((macro, index) => ({ key: index, ...macro })));
  const [issues, setIssues] = useState<string[]>([]);
  const firstRef = useRef<HTMLButtonElement>(null);
  useEffect(() => firstRef.current?.focus(), []);

  const change = (key: number, patch: Partial<Row>) => setRows((previous) => previous.map((row) => (row.key === key ? { ...row, ...patch } : row)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const candidate = { macros: rows.map((row) => ({ shortcut: row.shortcut.trim(), text: row.text })) };
    const parsed = MacroList.safeParse(candidate);
    if (!parsed.success) {
      setIssues(
        parsed.error.issues.map((issue) => {
          const line = typeof issue.path[1] === 'number' ? issue.path[1] + 1 : null;
          return line === null ? issue.message : t('report.macros.invalid', { line, message: issue.message });
        }),
      );
      return;
    }
    setIssues([]);
    void run(async () => {
      const saved = await api.saveMacros(parsed.data);
      onClose(saved.macros);
    });
  };

  return (
    <div className="sign-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="macro-settings" onKeyDown={(event) => event.key === 'Escape' && !pending && onClose(null)}>
      <form className="sign-dialog__panel macro-settings" onSubmit={submit} noValidate>
        <h2 id={titleId}>{t('report.macros.title')}</h2>
        <p className="muted small">{t('report.macros.intro')}</p>
        {rows.length === 0 && <p>{t('report.macros.empty')}</p>}
        <table className="macro-settings__table">
          <thead>
            <tr>
              <th scope="col">{t('report.macros.shortcut')}</th>
              <th scope="col">{t('report.macros.text')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('report.macros.removeColumn')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={row.key} data-testid="macro-row">
                <td>
                  <input
                    className="field__input macro-settings__shortcut"
                    aria-label={`${t('report.macros.shortcut')} ${index + 1}`}
                    value={row.shortcut}
                    maxLength={20}
                    onChange={(event) => change(row.key, { shortcut: event.target.value.toLowerCase() })}
                    data-testid="macro-shortcut"
                  />
                </td>
                <td>
                  <textarea
                    className="field__input field__input--multiline"
                    aria-label={`${t('report.macros.text')} ${index + 1}`}
                    value={row.text}
                    rows={2}
                    maxLength={5000}
                    onChange={(event) => change(row.key, { text: event.target.value })}
                    data-testid="macro-text"
                  />
                </td>
                <td>
                  <button type="button" className="button button--secondary button--small" onClick={() => setRows((previous) => previous.filter((other) => other.key !== row.key))}>
                    <span aria-hidden="true">✕</span>
                    <span className="visually-hidden">{t('report.macros.remove', { shortcut: row.shortcut })}</span>
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button
          ref={firstRef}
          type="button"
          className="button button--secondary button--small"
          onClick={() => setRows((previous) => [...previous, { key: nextKey.current++, shortcut: '', text: '' }])}
          data-testid="macro-add"
        >
          {t('report.macros.add')}
        </button>
        {issues.length > 0 && (
          <div className="alert alert--error" role="alert">
            <ul>
              {issues.map((issue) => (
                <li key={issue}>{issue}</li>
              ))}
            </ul>
          </div>
        )}
        <ErrorAlert error={error} />
        <div className="sign-dialog__actions">
          <button type="button" className="button button--secondary" onClick={() => onClose(null)} disabled={pending}>
            {t('report.macros.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={pending} data-testid="macro-save">
            {t('report.macros.save')}
          </button>
        </div>
      </form>
    </div>
  );
}
