import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { WorklistEventMessage } from '../main/ipcChannels.js';
import { createVigieBridge } from './vigieBridge.js';

// Exposes functions only, never ipcRenderer itself: the page may call the ReadingApi channels and nothing else.
contextBridge.exposeInMainWorld(
  'vigie',
  createVigieBridge(
    (channel, payload) => ipcRenderer.invoke(channel, payload),
    (channel, listener) => {
      const forward = (_event: IpcRendererEvent, message: WorklistEventMessage) => listener(message);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  ),
);
