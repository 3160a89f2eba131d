import { tryParseDuration } from '../../../shared/plan';
import { shellQuote } from '../runner/substituteVariables';
import { protocolCheck } from './checkModule';
import type { CheckFacts } from './checkScript';
import type { CheckOf, CheckVerdict } from './types';
import { fail, pass, quoted } from './verdicts';

// `http`: a request made from the host itself (what the host sees, not the laptop), with curl or,
// where curl is missing, wget (GNU or busybox); with neither the check cannot run. Redirects are
// not followed, so an expected 200 that answers 301 says so. The body goes to a temporary file
// on the host and is searched there; only its first bytes come back, for the report. A request
// that gets no answer (refused, timed out, TLS rejected) is a failure of the check, not an error:
// the check ran and the service did not answer.

type HttpCheck = CheckOf<'http'>;

/** curl's own limit; the runner's timeout still bounds the whole check. */
const DEFAULT_REQUEST_SECONDS = 10;

function requestSeconds(check: HttpCheck): number {
  const ms = check.timeout === undefined ? undefined : tryParseDuration(check.timeout);
  return ms === undefined ? DEFAULT_REQUEST_SECONDS : Math.max(1, Math.floor((ms * 0.8) / 1000));
}

function script(check: HttpCheck): string {
  const seconds = requestSeconds(check);
  const lines = [
    `url=${shellQuote(check.url)}`,
    'tmp=$(mktemp 2>/dev/null) || { tmp=${TMPDIR:-/tmp}/fieldrun-http.$$; : > "$tmp"; } || fr_cannot failed "cannot create a temporary file"',
    `trap 'rm -f "$tmp" "$tmp.err"' EXIT`,
    "trap 'exit 143' TERM HUP INT",
    'if fr_has curl; then',
    '  fr_say client curl',
    `  st=$(curl -sS -o "$tmp" -w '%{http_code} %{redirect_url}' --max-time ${seconds} "$url" 2>"$tmp.err") && rc=0 || rc=$?`,
    '  fr_say status "${st%% *}"',
    '  case $st in *" "?*) fr_say location "${st#* }" ;; esac',
    'elif fr_has wget; then',
    '  fr_say client wget',
    '  if wget --version 2>/dev/null | grep -q "GNU Wget"; then',
    `    wget -q -S --max-redirect=0 --tries=1 --timeout=${seconds} --content-on-error -O "$tmp" "$url" 2>"$tmp.err" && rc=0 || rc=$?`,
    '  else',
    `    wget -q -S -T ${seconds} -O "$tmp" "$url" 2>"$tmp.err" && rc=0 || rc=$?`,
    '  fi',
    `  fr_say status "$(awk '/^ *HTTP\\/[0-9.]+ [0-9][0-9][0-9]/ { s = $2 } END { print s }' "$tmp.err")"`,
    `  fr_say location "$(awk 'tolower($1) ~ /^location:$/ { l = $2 } END { print l }' "$tmp.err" | tr -d '\\r')"`,
    'else',
    '  fr_cannot missing "curl or wget"',
    'fi',
    'fr_say rc "$rc"',
    // Facts only the judge of a failure or of a body check reads are gathered only then: every
    // process spawned here costs the production host CPU on each baseline pass.
    `[ "$rc" = 0 ] || fr_say message "$(grep -v '^ ' "$tmp.err" | grep -v '^$' | head -n 1 | tr -d '\\r')"`,
    'fr_n=$(wc -c < "$tmp")',
    'fr_say body_bytes "${fr_n##* }"',
  ];
  if (check.bodyContains !== undefined) {
    lines.push(`fr_say body_start "$(dd if="$tmp" bs=120 count=1 2>/dev/null | tr '\\000\\r\\n\\t' '    ')"`);
    lines.push(`if fr_contains "$tmp" ${shellQuote(check.bodyContains)}; then fr_say body_contains yes; else fr_say body_contains no; fi`);
  }
  return lines.join('\n');
}

/** GNU wget's exit statuses (wget(1), EXIT STATUS); with -q it prints no message of its own. */
const WGET_EXIT: Readonly<Record<string, string>> = {
  '4': 'network failure',
  '5': 'SSL verification failure',
  '6': 'authentication failure',
  '7': 'protocol error',
  '8': 'server error response',
};

const subject = (check: HttpCheck): string => `GET ${check.url}`;

function expected(check: HttpCheck): string {
  return `status ${check.expectStatus}${check.bodyContains === undefined ? '' : `, body containing ${quoted(check.bodyContains)}`}`;
}

function judge(check: HttpCheck, facts: CheckFacts): CheckVerdict | undefined {
  const client = facts.get('client');
  const statusText = facts.get('status');
  if (client === undefined || statusText === undefined || facts.get('rc') === undefined) return undefined;
  const want = expected(check);
  const status = /^[1-5]\d\d$/.test(statusText) ? Number(statusText) : undefined;
  if (status === undefined) {
    const rc = facts.get('rc') ?? '';
    const why = facts.get('message') || `${client} exit status ${rc}${client === 'wget' && WGET_EXIT[rc] !== undefined ? `: ${WGET_EXIT[rc]}` : ''}`;
    const found = `no HTTP answer (${why})`;
    return fail(want, found, `${subject(check)}: expected status ${check.expectStatus}, found ${found}`);
  }
  const location = facts.get('location') ?? '';
  const bodyStart = (facts.get('body_start') ?? '').trim();
  const found = [`status ${status}${location === '' ? '' : ` (Location: ${location})`}`];
  if (check.bodyContains !== undefined) found.push(bodyStart === '' ? 'empty body' : `body starting ${quoted(bodyStart, 60)}`);
  const foundText = found.join(', ');
  const mismatches: Array<[string, string]> = [];
  if (status !== check.expectStatus) mismatches.push([`status ${check.expectStatus}`, found[0]!]);
  if (check.bodyContains !== undefined) {
    const contains = facts.get('body_contains');
    if (contains !== 'yes' && contains !== 'no') return undefined;
    if (contains === 'no') mismatches.push([`body containing ${quoted(check.bodyContains)}`, found[1]!]);
  }
  if (mismatches.length === 0) return pass(want, foundText, `${subject(check)}: ${want}`);
  return fail(want, foundText, `${subject(check)}: expected ${mismatches.map((m) => m[0]).join(', ')}, found ${mismatches.map((m) => m[1]).join(', ')}`);
}

export const httpCheck = protocolCheck<'http'>({ expected, script, judge });
