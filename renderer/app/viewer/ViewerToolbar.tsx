import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotkeyBindings, ViewerAction } from '../../viewer/hotkeys.js';
import type { PrimaryTool } from '../../viewer/cornerstone/viewerController.js';
import { WINDOW_PRESETS } from '../../viewer/windowPresets.js';
import type { LayoutId } from '../../viewer/layout.js';

type ShortAction = Exclude<ViewerAction, 'image.next' | 'image.previous' | 'image.first' | 'image.last' | 'series.next' | 'series.previous' | 'viewport.next' | 'viewport.previous' | 'view.rotateLeft' | 'view.zoomIn' | 'view.zoomOut'>;

const TOOLS: readonly PrimaryTool[] = ['windowLevel', 'zoom', 'pan', 'scroll', 'length', 'angle', 'ellipse', 'probe'];
const VIEW_ACTIONS: readonly ViewerAction[] = ['view.invert', 'view.rotateRight', 'view.flipHorizontal', 'view.flipVertical', 'view.reset', 'cine.toggle'];
const LAYOUTS: readonly LayoutId[] = ['1x1', '1x2', '2x2'];

export interface ViewerToolbarProps {
  bindings: HotkeyBindings;
  primaryTool: PrimaryTool;
  layout: LayoutId;
  mpr: boolean;
  mip: boolean;
  canMpr: boolean;
  hasPrior: boolean;
  priorShown: boolean;
  onAction(action: ViewerAction): void;
}

/**
 * Every tool is also a button, with its key in the tooltip: the mouse for
 * the occasional reader, the keys for the one at 3 a.m. who knows them.
 * Memoised (give it a stable `onAction`): the viewer re-renders on every
 * image of a scroll, and its ~40 labels were the main JavaScript cost of a
 * scroll step after Cornerstone's own (CPU profile, 2026-11-23).
 */
export const ViewerToolbar = memo(function ViewerToolbar(props: ViewerToolbarProps) {
  const { t } = useTranslation();
  const { bindings, onAction } = props;
  const label = (action: ViewerAction) => {
    const keys = bindings[action];
    const text: string = t(`viewer.actions.${action}`);
    return keys.length === 0 ? text : `${text} (${keys.join(', ')})`;
  };
  const button = (action: ViewerAction, pressed?: boolean, disabled?: boolean) => (
    <button
      key={action}
      type="button"
      className="button button--secondary button--small viewer-toolbar__button"
      title={label(action)}
      aria-label={label(action)}
      aria-pressed={pressed}
      disabled={disabled}
      data-action={action}
      onClick={() => onAction(action)}
    >
      {t(`viewer.short.${action}` as `viewer.short.${ShortAction}`)}
    </button>
  );
  return (
    <div className="viewer-toolbar" role="toolbar" aria-label={t('viewer.toolbar.label')} data-testid="viewer-toolbar">
      <div className="viewer-toolbar__group" role="group" aria-label={t('viewer.toolbar.tools')}>
        {TOOLS.map((tool) => button(`tool.${tool}` as ViewerAction, props.primaryTool === tool))}
      </div>
      <div className="viewer-toolbar__group" role="group" aria-label={t('viewer.toolbar.presets')}>
        {WINDOW_PRESETS.map((preset) => button(`preset.${preset.id}` as ViewerAction))}
      </div>
      <div className="viewer-toolbar__group" role="group" aria-label={t('viewer.toolbar.view')}>
        {VIEW_ACTIONS.map((action) => button(action))}
      </div>
      <div className="viewer-toolbar__group" role="group" aria-label={t('viewer.toolbar.layout')}>
        {LAYOUTS.map((layout) => button(`layout.${layout}` as ViewerAction, !props.mpr && props.layout === layout))}
        {button('mpr.toggle', props.mpr, !props.canMpr)}
        {button('mip.toggle', props.mip, !props.mpr)}
        {button('prior.toggle', props.priorShown, !props.hasPrior)}
      </div>
      <div className="viewer-toolbar__group viewer-toolbar__group--end" role="group" aria-label={t('viewer.toolbar.navigation')}>
        {button('help.toggle')}
        {button('viewer.nextTeleFile')}
        {button('viewer.back')}
      </div>
    </div>
  );
});
