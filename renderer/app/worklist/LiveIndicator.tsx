import { useTranslation } from 'react-i18next';
import type { LiveState } from './useLiveWorklist.js';

/** "En direct" while the feed runs; "Reconnexion…" (in the warning colour and with a word) while it does not. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const { t } = useTranslation();
  return (
    <p
      className={`live live--${state}`}
      data-testid="live-indicator"
      data-state={state}
      role="status"
      title={state === 'live' ? t('worklist.live.liveHint') : state === 'reconnecting' ? t('worklist.live.reconnectingHint') : undefined}
    >
      <span className="live__dot" aria-hidden="true" />
      {t(`worklist.live.${state}`)}
      {state === 'reconnecting' && <span className="visually-hidden"> {t('worklist.live.reconnectingHint')}</span>}
    </p>
  );
}
