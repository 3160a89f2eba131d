import { describe, expect, it } from 'vitest';
import { judged, ran } from './support';

// Recorded on a Debian 12 lab host with curl 7.88.1 and GNU Wget 1.21.3 (curl hidden from PATH):
// python3 -m http.server answering, and nothing listening on port 9.
const CURL_OK = ran('client=curl\nstatus=200\nrc=0\nmessage=\nbody_bytes=3\nbody_start=ok \nbody_contains=yes\n');
const CURL_404 = ran('client=curl\nstatus=404\nrc=0\nmessage=\nbody_bytes=335\nbody_start=<!DOCTYPE HTML> <html lang="en">     <head>         <meta charset="utf-8">         <title>Error response</title>  \n');
const CURL_REDIRECT = ran('client=curl\nstatus=301\nlocation=http://127.0.0.1:8080/health/\nrc=0\nmessage=\nbody_bytes=0\nbody_start=\n');
const CURL_REFUSED = ran(
  "client=curl\nstatus=000\nrc=7\nmessage=curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server\nbody_bytes=0\nbody_start=\n",
);
const WGET_OK = ran('client=wget\nstatus=200\nlocation=\nrc=0\nmessage=\nbody_bytes=3\nbody_start=ok \nbody_contains=no\n');
const WGET_REFUSED = ran('client=wget\nstatus=\nlocation=\nrc=4\nmessage=\nbody_bytes=0\nbody_start=\n');

describe('http check: judge', () => {
  it('passes the expected status and body', () => {
    expect(judged({ type: 'http', url: 'http://127.0.0.1:8080/health', bodyContains: 'ok' }, CURL_OK)).toMatchObject({
      status: 'pass',
      summary: 'GET http://127.0.0.1:8080/health: status 200, body containing "ok"',
    });
    expect(judged({ type: 'http', url: 'http://127.0.0.1:8080/missing', expectStatus: 404 }, CURL_404).status).toBe('pass');
  });

  it('fails another status, saying where a redirect points', () => {
    expect(judged({ type: 'http', url: 'http://127.0.0.1:8080/missing' }, CURL_404)).toMatchObject({ status: 'fail', summary: 'GET http://127.0.0.1:8080/missing: expected status 200, found status 404' });
    expect(judged({ type: 'http', url: 'http://127.0.0.1:8080/health' }, CURL_REDIRECT).summary).toBe(
      'GET http://127.0.0.1:8080/health: expected status 200, found status 301 (Location: http://127.0.0.1:8080/health/)',
    );
    expect(judged({ type: 'http', url: 'http://127.0.0.1:8080/health', bodyContains: 'UP' }, WGET_OK).summary).toBe(
      'GET http://127.0.0.1:8080/health: expected body containing "UP", found body starting "ok"',
    );
  });

  it('fails, with the client\'s reason, when nothing answers', () => {
    expect(judged({ type: 'http', url: 'http://127.0.0.1:9/' }, CURL_REFUSED)).toMatchObject({
      status: 'fail',
      found: "no HTTP answer (curl: (7) Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server)",
    });
    expect(judged({ type: 'http', url: 'http://127.0.0.1:9/' }, WGET_REFUSED).found).toBe('no HTTP answer (wget exit status 4: network failure)');
  });

  it('is an error where neither curl nor wget exists', () => {
    expect(judged({ type: 'http', url: 'http://127.0.0.1:9/' }, ran('cannot=missing curl or wget\n', 127))).toMatchObject({
      status: 'error',
      summary: 'cannot check: curl or wget not found on this host',
      expected: 'status 200',
    });
  });
});
