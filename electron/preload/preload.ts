import { contextBridge, ipcRenderer } from 'electron';
import { createVigieBridge } from './vigieBridge.js';

// Exposes functions only, never ipcRenderer itself: the page may call the ReadingApi channels and nothing else.
contextBridge.exposeInMainWorld(
  'vigie',
  createVigieBridge((channel, payload) => ipcRenderer.invoke(channel, payload)),
);
