import type { WebPreferences } from 'electron';

/**
 * webPreferences for every BrowserWindow we open, the main window included
 * (Electron security checklist #3 context isolation, #4 sandbox, #2 no Node
 * integration, #5–#8 web security, #12 no <webview>). The renderer reaches the
 * hub only through the preload bridge, so it needs none of what is turned off.
 */
export function secureWebPreferences(options: { preload: string }): WebPreferences {
  return {
    preload: options.preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    webviewTag: false,
    // Chromium's spellchecker downloads dictionaries from Google and reads what the radiologist types.
    spellcheck: false,
  };
}
