#!/usr/bin/env node
// Builds better-sqlite3 a second time, for Electron's ABI, into a folder of its own
// (node_modules/.electron-native/abi-<N>/better_sqlite3.node), leaving node_modules/better-sqlite3
// with its Node build for tests, the CLI and the host. electron/core/store/nativeBinding.ts picks
// the file matching process.versions.modules at load time.
//
// Needs Electron's headers once (from https://electronjs.org/headers, then cached by node-gyp).
// `electron-builder install-app-deps` is not used: on these machines it reports success but builds
// for Node's ABI (npm passes nodedir=/usr to node-gyp). This script clears that and then checks
// the binary really registers Electron's ABI.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const sqliteVersion = JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version;
const abi = require('node-abi').getAbi(electronVersion, 'electron');
const arch = process.env.FIELDRUN_NATIVE_ARCH ?? process.arch;

const nativeDir = join(root, 'node_modules/.electron-native');
const target = join(nativeDir, `abi-${abi}`, 'better_sqlite3.node');
const stampFile = join(nativeDir, `abi-${abi}`, 'stamp.json');
const stamp = JSON.stringify({ electronVersion, sqliteVersion, arch });

if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
  console.log(`better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}, ${arch}) is already built: ${target}`);
  process.exit(0);
}

// Build in a copy, so the Node build in node_modules/better-sqlite3/build is never touched.
const work = join(nativeDir, 'work', `better-sqlite3-abi-${abi}-${arch}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(join(root, 'node_modules/better-sqlite3'), work, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });

const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)));
console.log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${abi}, ${arch})…`);
try {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules/node-gyp/bin/node-gyp.js'),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      `--arch=${arch}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
      `--jobs=max`,
    ],
    { cwd: work, env, stdio: 'inherit' },
  );
} catch {
  rmSync(work, { recursive: true, force: true });
  console.error(
    `better-sqlite3 could not be built for Electron ${electronVersion} (see node-gyp's output above). The first build downloads Electron's headers from electronjs.org: run it once where there is internet. The Node build used by tests was not touched.`,
  );
  process.exit(1);
}

const built = join(work, 'build/Release/better_sqlite3.node');
// A module built for Electron registers node_register_module_v<ABI>; one built against Node's
// headers by mistake carries Node's number instead.
const binary = readFileSync(built);
if (!binary.includes(Buffer.from(`node_register_module_v${abi}`)) && !binary.includes(Buffer.from('napi_register_module_v'))) {
  console.error(`The build in ${built} does not register ABI ${abi}: it was built for another runtime. Nothing was installed.`);
  process.exit(1);
}
mkdirSync(join(nativeDir, `abi-${abi}`), { recursive: true });
copyFileSync(built, target);
writeFileSync(stampFile, stamp);
rmSync(work, { recursive: true, force: true });
console.log(`Installed ${target}`);
