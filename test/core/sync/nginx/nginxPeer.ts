// A private nginx WebDAV server standing in for head office: Debian's nginx with the dav-ext
// module, its own prefix, config, pid file and temp paths, on a loopback port, with basic auth.
// Started as root, nginx's workers run as `nobody`, so the DAV root and temp folders are theirs
// (PEERS.md: otherwise PUT fails with a misleading 500).
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const NGINX = '/usr/sbin/nginx';
const DAV_EXT_MODULE = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';
const OPENSSL = '/usr/bin/openssl';
const INSTALL_HINT = 'apt-get install nginx libnginx-mod-http-dav-ext openssl';

export interface NginxPeer {
  /** e.g. http://127.0.0.1:41234/ — the DAV root */
  readonly url: string;
  readonly port: number;
  /** the DAV root on disk, to inspect what the server really holds */
  readonly davRoot: string;
  /** where nginx spools request bodies while it receives them */
  readonly clientBodyTemp: string;
  readonly user: string;
  readonly password: string;
  /** writes a file under the DAV root as the server itself would own it */
  placeFile(relativePath: string, data: Buffer | string): void;
  stop(): Promise<void>;
}

export interface NginxPeerOptions {
  user?: string;
  password?: string;
  /** folders created (owned by the worker user) under the DAV root before start */
  folders?: string[];
  /** serve HTTPS with this certificate and key (PEM files) */
  tls?: { certPath: string; keyPath: string };
}

export async function startNginxPeer(options: NginxPeerOptions = {}): Promise<NginxPeer> {
  for (const tool of [NGINX, DAV_EXT_MODULE, OPENSSL]) {
    if (!existsSync(tool)) throw new Error(`nginx test peer: ${tool} is missing. Install it: ${INSTALL_HINT}`);
  }
  const user = options.user ?? 'office';
  const password = options.password ?? 'correct horse battery';
  const prefix = mkdtempSync(join(tmpdir(), 'fieldrun-nginx-'));
  // The workers (nobody) must traverse the prefix to reach the DAV root and the htpasswd file.
  chmodSync(prefix, 0o755);
  const davRoot = join(prefix, 'dav');
  const temp = join(prefix, 'temp');
  for (const dir of [davRoot, temp, ...(options.folders ?? []).map((f) => join(davRoot, f))]) mkdirSync(dir, { recursive: true });
  const hash = execFileSync(OPENSSL, ['passwd', '-apr1', '-stdin'], { input: `${password}\n` }).toString().trim();
  writeFileSync(join(prefix, 'htpasswd'), `${user}:${hash}\n`, { mode: 0o644 });
  handToWorkers(davRoot);
  handToWorkers(temp);

  let lastError: Error | undefined;
  // A port found free can be taken before nginx binds it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeLoopbackPort();
    writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, davRoot, temp, port, options.tls));
    try {
      const child = await launch(prefix, port);
      return {
        url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
        port,
        davRoot,
        clientBodyTemp: join(temp, 'client_body'),
        user,
        password,
        placeFile: (relativePath, data) => {
          const path = join(davRoot, relativePath);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, data);
          handToWorkers(join(davRoot, relativePath.split('/')[0] ?? ''));
        },
        stop: async () => {
          await stopProcess(child);
          rmSync(prefix, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
    }
  }
  rmSync(prefix, { recursive: true, force: true });
  throw lastError ?? new Error('nginx test peer did not start');
}

function handToWorkers(dir: string): void {
  if (process.getuid?.() !== 0) return; // not root: workers run as this user already
  const nobody = Number(execFileSync('id', ['-u', 'nobody']).toString().trim());
  const nogroup = Number(execFileSync('id', ['-g', 'nobody']).toString().trim());
  execFileSync('chown', ['-R', `${nobody}:${nogroup}`, dir]);
  chownSync(dir, nobody, nogroup);
}

function nginxConf(prefix: string, davRoot: string, temp: string, port: number, tls: NginxPeerOptions['tls']): string {
  const listen = tls === undefined ? `listen 127.0.0.1:${port};` : `listen 127.0.0.1:${port} ssl;\n    ssl_certificate ${tls.certPath};\n    ssl_certificate_key ${tls.keyPath};`;
  return `daemon off;
master_process on;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
load_module ${DAV_EXT_MODULE};
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${temp}/client_body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  default_type application/octet-stream;
  server {
    ${listen}
    root ${davRoot};
    client_max_body_size 64m;
    location / {
      auth_basic "fieldrun head office";
      auth_basic_user_file ${prefix}/htpasswd;
      dav_methods PUT DELETE MKCOL MOVE;
      dav_ext_methods PROPFIND OPTIONS;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
    # A folder this account may not write to, as head office might configure one.
    location /forbidden/ {
      auth_basic "fieldrun head office";
      auth_basic_user_file ${prefix}/htpasswd;
      deny all;
    }
  }
}
`;
}

function launch(prefix: string, port: number): Promise<ChildProcess> {
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      const log = existsSync(join(prefix, 'error.log')) ? readFileSync(join(prefix, 'error.log'), 'utf8') : '';
      reject(new Error(`nginx test peer exited (${code}) on port ${port}: ${stderr}${log}`));
    });
    const poll = (): void => {
      if (exited) return;
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.removeAllListeners('exit');
        resolve(child);
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) {
          child.kill('SIGKILL');
          reject(new Error(`nginx test peer did not answer on port ${port} within 10 s: ${stderr}`));
        } else setTimeout(poll, 20);
      });
    };
    poll();
  });
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    // SIGQUIT: graceful shutdown, workers finish the requests they hold.
    child.kill('SIGQUIT');
  });
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
