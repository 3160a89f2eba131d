// The private file system of a namespaced test host: folders and files under the lab folder that
// are bind-mounted over the machine's paths inside the host's mount namespace. Everything a
// command on the host can write lands here, so a test can see on which host a file was written.
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { LabAccounts } from './labUser';
import { LAB_USER_NAME } from './labUser';

/** Folders a host has of its own (bind-mounted over the machine's). */
const PRIVATE_DIRS = ['/opt', '/srv', '/home', '/run', '/tmp'] as const;
/** Files a host has of its own. */
const PRIVATE_FILES = ['/etc/passwd', '/etc/group', '/etc/shadow', '/etc/os-release', '/etc/hosts', '/etc/default/locale'] as const;

export interface HostFileSystem {
  /** `<hostDir>/root`: the host's private folders */
  root: string;
  /** `<hostDir>/etc`: the host's private files and sudoers.d */
  etc: string;
  home: string;
}

export function hostFileSystem(hostDir: string): HostFileSystem {
  const root = join(hostDir, 'root');
  return { root, etc: join(hostDir, 'etc'), home: join(root, 'home', LAB_USER_NAME) };
}

/** Maps a path on the host to the local file that holds it; '~' is the lab user's home. */
export function localPathOnHost(fs: HostFileSystem, remotePath: string): string {
  let p = remotePath;
  if (p === '~' || p.startsWith('~/')) p = `/home/${LAB_USER_NAME}${p.slice(1)}`;
  if (!p.startsWith('/')) throw new Error(`pathOnHost needs an absolute path or ~/..., got '${remotePath}'`);
  p = posix.normalize(p);
  if ((PRIVATE_FILES as readonly string[]).includes(p)) return join(fs.etc, posix.basename(p));
  if (p === '/etc/sudoers.d' || p.startsWith('/etc/sudoers.d/')) return join(fs.etc, p.slice('/etc/'.length));
  for (const d of PRIVATE_DIRS) {
    if (p === d || p.startsWith(`${d}/`)) return join(fs.root, p);
  }
  throw new Error(`'${remotePath}' is the machine's, shared by all hosts; a host's own paths are ${[...PRIVATE_DIRS, ...PRIVATE_FILES, '/etc/sudoers.d'].join(', ')}`);
}

export interface HostFilesInput {
  name: string;
  lang?: string;
  accounts: LabAccounts;
  authorizedKeys: string;
}

function machineFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function writeHostFiles(fs: HostFileSystem, input: HostFilesInput): void {
  const { uid, gid } = input.accounts;
  for (const d of PRIVATE_DIRS) mkdirSync(join(fs.root, d), { recursive: true, mode: 0o755 });
  mkdirSync(join(fs.root, 'tmp'), { recursive: true });
  chmodDir(join(fs.root, 'tmp'), 0o1777);
  mkdirSync(join(fs.root, 'run', 'sshd'), { recursive: true, mode: 0o755 });
  mkdirSync(join(fs.etc, 'sudoers.d'), { recursive: true, mode: 0o755 });

  writeFileSync(join(fs.etc, 'passwd'), input.accounts.passwd, { mode: 0o644 });
  writeFileSync(join(fs.etc, 'group'), input.accounts.group, { mode: 0o644 });
  writeFileSync(join(fs.etc, 'shadow'), input.accounts.shadow, { mode: 0o640 });
  writeFileSync(join(fs.etc, 'sudoers.d', LAB_USER_NAME), input.accounts.sudoers, { mode: 0o440 });
  const osRelease = machineFile('/usr/lib/os-release') || machineFile('/etc/os-release');
  writeFileSync(join(fs.etc, 'os-release'), `${osRelease}${osRelease.endsWith('\n') || osRelease === '' ? '' : '\n'}FIELDRUN_TEST_HOST=${input.name}\n`);
  // sudo resolves the host name; without this line it warns on every call.
  writeFileSync(join(fs.etc, 'hosts'), `${machineFile('/etc/hosts')}\n127.0.1.1\t${input.name}\n`);
  // Debian's sshd PAM stack reads the login locale from here (pam_env envfile=/etc/default/locale).
  writeFileSync(join(fs.etc, 'locale'), input.lang === undefined ? machineFile('/etc/default/locale') : `LANG=${input.lang}\n`);

  const home = fs.home;
  mkdirSync(home, { recursive: true, mode: 0o755 });
  if (existsSync('/etc/skel')) cpSync('/etc/skel', home, { recursive: true });
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'authorized_keys'), input.authorizedKeys, { mode: 0o600 });
  chownTree(home, uid, gid);
}

/** Reboot: what a restart loses (/tmp, /run) and the wrapper state under ~/.fieldrun. */
export function wipeVolatileState(fs: HostFileSystem): void {
  for (const d of ['tmp', 'run']) {
    rmSync(join(fs.root, d), { recursive: true, force: true });
    mkdirSync(join(fs.root, d), { mode: 0o755 });
  }
  chmodDir(join(fs.root, 'tmp'), 0o1777);
  mkdirSync(join(fs.root, 'run', 'sshd'), { mode: 0o755 });
  rmSync(join(fs.home, '.fieldrun'), { recursive: true, force: true });
}

/** The mount commands of the host's start script: [source, target] pairs. */
export function bindMounts(fs: HostFileSystem): Array<[string, string]> {
  return [
    ...PRIVATE_DIRS.map((d): [string, string] => [join(fs.root, d), d]),
    ...PRIVATE_FILES.map((f): [string, string] => [join(fs.etc, posix.basename(f)), f]),
    [join(fs.etc, 'sudoers.d'), '/etc/sudoers.d'],
  ];
}

function chmodDir(path: string, mode: number): void {
  // mkdir's mode is masked by the umask; the sticky, world-writable /tmp needs an explicit chmod.
  chmodSync(path, mode);
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const e of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else chownSync(p, uid, gid);
  }
}
