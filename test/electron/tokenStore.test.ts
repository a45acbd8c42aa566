import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenStore, type SafeStorageLike } from '../../electron/main/tokenStore.js';

const TOKEN = 'vgs_4f1c2a9e7b3d';

/** Stands for the OS keychain: reversible, and never writes the token as it is. */
function fakeSafeStorage(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = 0x5a;
  return {
    isEncryptionAvailable: () => options.available ?? true,
    encryptString: (plain) => Buffer.concat([Buffer.from('ENC1'), Buffer.from(plain, 'utf8').map((byte) => byte ^ key)]),
    decryptString: (encrypted) => {
      if (encrypted.subarray(0, 4).toString() !== 'ENC1') throw new Error('Error while decrypting the ciphertext provided');
      return Buffer.from(encrypted.subarray(4).map((byte) => byte ^ key)).toString('utf8');
    },
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
  };
}

let dir: string;
let filePath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-token-'));
  filePath = join(dir, 'profile', 'session-token.bin');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createTokenStore', () => {
  it('round-trips the token through an encrypted file that a new store (a restart) can read', async () => {
    const store = createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    expect(await store.load()).toBeNull();
    expect(await store.save(TOKEN)).toEqual({ persisted: true, path: filePath });

    const bytes = await readFile(filePath);
    expect(bytes.toString('latin1')).not.toContain(TOKEN);
    if (process.platform !== 'win32') expect((await stat(filePath)).mode & 0o077).toBe(0);

    const afterRestart = createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    expect(await afterRestart.load()).toBe(TOKEN);
    expect(await readdir(join(dir, 'profile'))).toEqual(['session-token.bin']);
  });

  it('refuses to persist when the OS offers no encryption, keeps the token in memory, and says why', async () => {
    const safeStorage = fakeSafeStorage({ available: false });
    const store = createTokenStore({ safeStorage, filePath, platform: 'darwin' });
    const persistence = await store.save(TOKEN);
    expect(persistence.persisted).toBe(false);
    expect(persistence).toMatchObject({ reason: expect.stringMatching(/no encryption.*memory only/) });
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.load()).toBe(TOKEN);
    expect(await createTokenStore({ safeStorage, filePath, platform: 'darwin' }).load()).toBeNull();
  });

  it("treats Linux's basic_text backend (a hard-coded key) as no encryption", async () => {
    const store = createTokenStore({ safeStorage: fakeSafeStorage({ backend: 'basic_text' }), filePath, platform: 'linux' });
    expect(await store.save(TOKEN)).toMatchObject({ persisted: false, reason: expect.stringContaining('basic_text') });
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('forgets the token on save(null), on disk and in memory', async () => {
    const store = createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    await store.save(TOKEN);
    expect((await store.save(null)).persisted).toBe(false);
    expect(await store.load()).toBeNull();
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps the last token when saves overlap', async () => {
    const store = createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    await Promise.all([store.save('first'), store.save('second'), store.save('third')]);
    expect(await createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' }).load()).toBe('third');
  });

  it('discards a file it cannot decrypt', async () => {
    await createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' }).save(TOKEN);
    await writeFile(filePath, 'garbage');
    const store = createTokenStore({ safeStorage: fakeSafeStorage(), filePath, platform: 'linux' });
    expect(await store.load()).toBeNull();
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
