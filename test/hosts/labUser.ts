// The login user of the test hosts. It exists only inside the hosts (their own /etc/passwd,
// /etc/shadow, /etc/group and /etc/sudoers.d are bind-mounted), so the machine is not modified.
// Not root: root's shell start-up on these images runs pyenv and slows every command (PEERS.md).
import { chmodSync, copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS_DIR } from './hostKeys';
import type { TestUser } from './types';

export const LAB_USER_NAME = 'fieldrun';
export const LAB_PASSWORD = 'Lab-Passw0rd-7fc1';
// `openssl passwd -6 -salt fieldrunlabsalt0 'Lab-Passw0rd-7fc1'`: fixed, so starting a lab needs
// no crypt implementation.
const LAB_PASSWORD_HASH = '$6$fieldrunlabsalt0$s0FjT2czwByXJ6F0F2IPuBUTJtI/r6KfPc0EV/ecTto6W1Vn/DxuTI3MgmRiMVtdNuknw0uFPmsyOHBrW38zR0';
const KEY_PASSPHRASE = 'correct horse battery staple';

export interface LabAccounts {
  uid: number;
  gid: number;
  passwd: string;
  group: string;
  shadow: string;
  sudoers: string;
}

function freeId(lines: string[], field: number, from: number): number {
  const used = new Set(lines.map((l) => Number(l.split(':')[field])));
  let id = from;
  while (used.has(id)) id++;
  return id;
}

const withNewline = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

/** The machine's account files plus the lab user (uid picked free of the machine's). */
export function labAccounts(): LabAccounts {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const group = readFileSync('/etc/group', 'utf8');
  let shadow = '';
  try {
    shadow = readFileSync('/etc/shadow', 'utf8');
  } catch {
    // not root: namespaces mode is impossible anyway
  }
  const uid = freeId(passwd.split('\n'), 2, 4242);
  const gid = freeId(group.split('\n'), 2, uid);
  return {
    uid,
    gid,
    passwd: `${withNewline(passwd)}${LAB_USER_NAME}:x:${uid}:${gid}:Fieldrun Test User:/home/${LAB_USER_NAME}:/bin/bash\n`,
    group: `${withNewline(group)}${LAB_USER_NAME}:x:${gid}:\n`,
    shadow: `${withNewline(shadow)}${LAB_USER_NAME}:${LAB_PASSWORD_HASH}:19700:0:99999:7:::\n`,
    // sudo WITH password, as on a real server. The lecture is off because whether sudo shows it
    // depends on a machine-wide state file, which would make output differ between runs.
    sudoers: `${LAB_USER_NAME} ALL=(ALL:ALL) ALL\nDefaults:${LAB_USER_NAME} lecture=never\n`,
  };
}

/** Copies the client keys to `dir` with mode 0600 (ssh refuses keys others can read). */
export function provideUser(dir: string, name = LAB_USER_NAME): TestUser {
  const privateKeyPath = join(dir, 'client_ed25519');
  const encryptedKeyPath = join(dir, 'client_ed25519_pass');
  copyFileSync(join(KEYS_DIR, 'client_ed25519'), privateKeyPath);
  copyFileSync(join(KEYS_DIR, 'client_ed25519_pass'), encryptedKeyPath);
  chmodSync(privateKeyPath, 0o600);
  chmodSync(encryptedKeyPath, 0o600);
  return {
    name,
    password: LAB_PASSWORD,
    sudoPassword: LAB_PASSWORD,
    privateKeyPath,
    encryptedKeyPath,
    passphrase: KEY_PASSPHRASE,
    publicKey: readFileSync(join(KEYS_DIR, 'client_ed25519.pub'), 'utf8').trim(),
  };
}

export function authorizedKeys(): string {
  return ['client_ed25519.pub', 'client_ed25519_pass.pub'].map((f) => readFileSync(join(KEYS_DIR, f), 'utf8').trim()).join('\n') + '\n';
}
