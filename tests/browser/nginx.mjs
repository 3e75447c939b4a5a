// Debian's nginx for the browser tests: the app served under the sub-path /survlens/
// through the committed configuration docs/deploy/nginx.conf (its alias pointed at the
// folder under test), as an unprivileged process on a free port with its own pid file,
// logs and temp folders. Under root (CI) nginx runs as `nobody`: no step needs root.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, chownSync, chmodSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { ROOT, WWW } from './helpers.mjs';

export const NGINX = process.env.NGINX ?? '/usr/sbin/nginx';
const NOBODY = 65534;

/** The nginx.conf of docs/deploy with its alias on `dir`, inside a minimal main configuration. */
export function nginxConfig(dir, port, tmp, host) {
  const site = readFileSync(join(ROOT, 'docs/deploy/nginx.conf'), 'utf8');
  if (!site.includes('alias /srv/survlens/;')) throw new Error('docs/deploy/nginx.conf: no `alias /srv/survlens/;`');
  writeFileSync(join(tmp, 'survlens.conf'), site.replace('alias /srv/survlens/;', `alias ${resolve(dir)}/;`));
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((t) => `  ${t}_temp_path ${join(tmp, t)};`).join('\n');
  return `daemon off;
master_process off;
worker_processes 1;
pid ${join(tmp, 'nginx.pid')};
error_log ${join(tmp, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
${temps}
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    include ${join(tmp, 'survlens.conf')};
${host ? `    location /intranet/ { alias ${resolve(host)}/; types { text/html html; } }` : ''}
  }
}
`;
}

function reachable(port) {
  return new Promise((ok) => {
    const s = connect(port, '127.0.0.1', () => { s.end(); ok(true); });
    s.on('error', () => ok(false));
  });
}

/** Serves `dir` at http://localhost:PORT/survlens/ with nginx; {url, origin, stop}.
 *  `host`: a folder served at /intranet/ beside it (an intranet page that embeds the app). */
export async function startNginx(dir = WWW, { host } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'survlens-nginx-'));
  const asNobody = process.getuid?.() === 0;
  if (asNobody) {
    chownSync(tmp, NOBODY, NOBODY);
    // A folder `nobody` cannot read (a clone under a private folder) is served from a copy.
    const readable = (d) => spawnSync('/usr/bin/test', ['-r', join(d, '.')], { uid: NOBODY, gid: NOBODY }).status === 0
      && spawnSync('/usr/bin/find', [d, '-maxdepth', '0'], { uid: NOBODY, gid: NOBODY, stdio: 'ignore' }).status === 0;
    const served = (d, name) => {
      if (!d || readable(d)) return d;
      cpSync(d, join(tmp, name), { recursive: true, dereference: true });
      chmodSync(join(tmp, name), 0o755);
      return join(tmp, name);
    };
    dir = served(dir, 'site');
    host = served(host, 'host');
  }
  for (const port of Array.from({ length: 5 }, () => 20000 + Math.floor(Math.random() * 2000))) {
    if (await reachable(port)) continue;
    writeFileSync(join(tmp, 'nginx.conf'), nginxConfig(dir, port, tmp, host));
    const test = spawnSync(NGINX, ['-t', '-q', '-p', tmp, '-e', join(tmp, 'error.log'), '-c', join(tmp, 'nginx.conf')],
      { encoding: 'utf8', ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}) });
    if (test.status !== 0) throw new Error(`nginx -t: ${test.stderr}`);
    const proc = spawn(NGINX, ['-p', tmp, '-e', join(tmp, 'error.log'), '-c', join(tmp, 'nginx.conf')],
      { stdio: ['ignore', 'ignore', 'inherit'], ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}) });
    let exited = false;
    proc.once('exit', () => { exited = true; });
    for (let i = 0; i < 100 && !exited; i++) {
      if (await reachable(port)) {
        const origin = `http://localhost:${port}`;
        return {
          url: `${origin}/survlens/`, origin, nginx: true,
          stop: () => { proc.kill(); setTimeout(() => rmSync(tmp, { recursive: true, force: true }), 200).unref(); },
        };
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    proc.kill();
  }
  throw new Error(`nginx did not start: ${(() => { try { return readFileSync(join(tmp, 'error.log'), 'utf8'); } catch { return ''; } })()}`);
}
