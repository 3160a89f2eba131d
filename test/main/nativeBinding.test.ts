import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { betterSqliteOptions, nativeBindingFile, NATIVE_DIR_ENV } from '../../electron/core/store/nativeBinding';

const dir = mkdtempSync(join(tmpdir(), 'fieldrun-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("better-sqlite3's build chosen by ABI", () => {
  it('leaves plain Node on its default build, even when the folder is set', () => {
    expect(betterSqliteOptions(process.versions, {})).toEqual({});
    expect(betterSqliteOptions(process.versions, { [NATIVE_DIR_ENV]: dir })).toEqual({});
  });

  it("picks the Electron build for this process's ABI", () => {
    const file = nativeBindingFile(dir, '150');
    mkdirSync(join(dir, 'abi-150'));
    writeFileSync(file, 'not really a binary');
    const electron = { ...process.versions, electron: '45.5.0', modules: '150' };
    expect(betterSqliteOptions(electron, { [NATIVE_DIR_ENV]: dir })).toEqual({ nativeBinding: file });
  });

  it('says what to run when the Electron build is missing', () => {
    const electron = { ...process.versions, electron: '46.0.0', modules: '151' };
    expect(() => betterSqliteOptions(electron, { [NATIVE_DIR_ENV]: dir })).toThrow(/abi-151.*npm run build:native/);
  });
});
