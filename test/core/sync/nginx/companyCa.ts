// A throwaway company CA and a server certificate it signed for 127.0.0.1/localhost, made with
// openssl, for testing head office over HTTPS with a CA the laptop does not trust by default.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CompanyCa {
  caPem: string;
  certPath: string;
  keyPath: string;
}

export function makeCompanyCa(dir: string): CompanyCa {
  if (!existsSync('/usr/bin/openssl')) throw new Error('openssl is missing. Install it: apt-get install openssl');
  const run = (...args: string[]): void => {
    execFileSync('/usr/bin/openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Fieldrun Test Company CA');
  run('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  return { caPem: readFileSync(join(dir, 'ca.pem'), 'utf8'), certPath: join(dir, 'server.pem'), keyPath: join(dir, 'server.key') };
}
