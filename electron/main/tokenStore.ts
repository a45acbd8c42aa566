import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The part of Electron's safeStorage we use, injected so tests need no Electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

export type TokenPersistence =
  | { readonly persisted: true; readonly path: string }
  | { readonly persisted: false; readonly reason: string };

export interface TokenStore {
  load(): Promise<string | null>;
  /** `null` forgets the token. Never throws; says whether the token will survive a restart, and if not why. */
  save(token: string | null): Promise<TokenPersistence>;
}

export interface TokenStoreOptions {
  safeStorage: SafeStorageLike;
  /** Where the encrypted token lives, e.g. `<userData>/session-token.bin`. */
  filePath: string;
  platform?: NodeJS.Platform;
}

/**
 * The desktop session token, encrypted by the OS keychain (safeStorage) when
 * one is available. When none is, the token stays in memory only: the reader
 * signs in again after a restart rather than leaving a bearer token for the
 * patient-data hub readable on disk.
 */
export function createTokenStore({ safeStorage, filePath, platform = process.platform }: TokenStoreOptions): TokenStore {
  // `undefined` until the file has been read once; afterwards memory is the truth and the file follows it.
  let current: string | null | undefined;
  let writes: Promise<unknown> = Promise.resolve();

  function whyNotEncrypted(): string | null {
    if (!safeStorage.isEncryptionAvailable()) {
      return 'The operating system offers no encryption for secrets (no keychain or secret service); the session is kept in memory only and ends when Vigie closes.';
    }
    // On Linux without a secret service, Chromium "encrypts" with a hard-coded key: that is clear text in all but name.
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend) {
      const backend = safeStorage.getSelectedStorageBackend();
      if (backend === 'basic_text' || backend === 'unknown') {
        return `No secret service (GNOME Keyring, KWallet) is available, only "${backend}" storage; the session is kept in memory only and ends when Vigie closes.`;
      }
    }
    return null;
  }

  async function readStored(): Promise<string | null> {
    if (whyNotEncrypted() !== null) return null;
    let encrypted: Buffer;
    try {
      encrypted = await readFile(filePath);
    } catch {
      return null;
    }
    try {
      return safeStorage.decryptString(encrypted);
    } catch {
      // Written under another OS account or keychain, or damaged: useless, and better gone.
      await rm(filePath, { force: true }).catch(() => undefined);
      return null;
    }
  }

  async function persist(token: string | null): Promise<TokenPersistence> {
    if (token === null) {
      try {
        await rm(filePath, { force: true });
        return { persisted: false, reason: 'Signed out: no session is stored.' };
      } catch (error) {
        return { persisted: false, reason: `The stored session could not be deleted (${messageOf(error)}).` };
      }
    }
    const reason = whyNotEncrypted();
    if (reason !== null) {
      // A token stored while encryption worked is older than the one now in memory.
      await rm(filePath, { force: true }).catch(() => undefined);
      return { persisted: false, reason };
    }
    // Write then rename, so a crash never leaves half a token that would fail to decrypt.
    const temporary = `${filePath}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
      await writeFile(temporary, safeStorage.encryptString(token), { mode: 0o600 });
      await rename(temporary, filePath);
      return { persisted: true, path: filePath };
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      return { persisted: false, reason: `The session could not be stored (${messageOf(error)}); it is kept in memory only.` };
    }
  }

  return {
    async load() {
      if (current === undefined) {
        const stored = await readStored();
        // A save may have happened while the file was being read; it wins.
        if (current === undefined) current = stored;
      }
      return current;
    },

    save(token) {
      current = token;
      // One write at a time: the file must end up holding the last token saved, not the last write to finish.
      const result = writes.then(() => persist(token));
      writes = result;
      return result;
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
