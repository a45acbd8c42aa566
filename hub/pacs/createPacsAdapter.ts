import { DicomwebAdapter, type DicomwebAdapterOptions } from './dicomwebAdapter.js';
import { FolderAdapter, type FolderAdapterOptions } from './folderAdapter.js';
import type { PacsAdapter } from './pacsAdapter.js';

/** The adapter a configuration names: `folder` (the embedded default and the demo) or `dicomweb` (production). */
export type PacsAdapterConfig = ({ kind: 'folder' } & FolderAdapterOptions) | ({ kind: 'dicomweb' } & DicomwebAdapterOptions);

export function createPacsAdapter(config: PacsAdapterConfig): PacsAdapter {
  switch (config.kind) {
    case 'folder':
      return new FolderAdapter(config);
    case 'dicomweb':
      return new DicomwebAdapter(config);
    default:
      return missingCase(config);
  }
}

function missingCase(value: never): never {
  throw new Error(`unknown PACS adapter kind: ${JSON.stringify(value)}`);
}
