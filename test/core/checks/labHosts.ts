// Helpers for the check tests on the sshd lab hosts (not a test file itself).
import type { ClientChannel } from 'ssh2';
import type { SshConnection } from '../../../electron/core/ssh/connection';
import type { CheckConnection } from '../../../electron/core/checks';
import { run } from '../ssh/connection/labEndpoints';

/** Runs a setup command on a host and fails loudly if it does not exit 0. */
export async function onHost(connection: SshConnection, command: string): Promise<string> {
  const result = await run(connection, command);
  if (result.code !== 0) throw new Error(`setup command failed (${result.code}) on ${connection.host.name}: ${command}\n${result.stdout}`);
  return result.stdout;
}

/** Every program a compiled check may call (and what those call: shasum is perl). */
const CHECK_TOOLS = [
  'awk', 'cat', 'curl', 'cut', 'dd', 'df', 'dirname', 'dpkg-query', 'env', 'grep', 'head', 'id', 'ls', 'mktemp', 'openssl', 'perl', 'ps',
  'rm', 'rpm', 'sed', 'seq', 'sh', 'sha256sum', 'shasum', 'sleep', 'sort', 'ss', 'stat', 'sudo', 'systemctl', 'tr', 'wc', 'wget',
];

/**
 * A PATH on the host with the programs checks use, but not `tools`: the host as it would be
 * without them installed. (Linking all of /usr/bin takes seconds on the lab's file system.)
 */
export async function pathWithout(connection: SshConnection, tools: string[]): Promise<string> {
  const dir = `/tmp/path-without-${tools.join('-').replace(/[^a-z0-9-]/gi, '')}`;
  const keep = CHECK_TOOLS.filter((tool) => !tools.includes(tool));
  await onHost(
    connection,
    `rm -rf ${dir} && mkdir -p ${dir} && for t in ${keep.join(' ')}; do for d in /usr/bin /usr/sbin /bin /sbin; do if [ -e $d/$t ]; then ln -s $d/$t ${dir}/$t; break; fi; done; done`,
  );
  return dir;
}

/** The connection with `PATH=dir` for everything it runs. */
export function withPath(connection: SshConnection, dir: string): CheckConnection {
  return { exec: (command: string): Promise<ClientChannel> => connection.exec(`env PATH=${dir} ${command}`) };
}
