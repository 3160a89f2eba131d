// The forms in which a secret commonly reappears in command output, so that masking catches
// `curl -v` printing an `Authorization: Basic ...` header or a tool echoing JSON or a URL, not
// only the plain value. Chosen after the encoders GitHub Actions' masker registers (base64 at
// each of the three byte alignments, URL and JSON escaping).

/** Shortest derived form worth masking: shorter fragments would hide ordinary text. */
const MIN_DERIVED = 6;

/**
 * Base64 of the secret as it appears inside a longer base64 text: the secret may start at any
 * of three byte alignments, and only the characters made entirely of the secret's own bits are
 * fixed. For alignment k (bytes before it in its 3-byte group), those are the characters i with
 * 6i >= 8k and 6i + 6 <= 8k + 8n.
 */
export function base64Forms(secret: Buffer): string[] {
  const forms: string[] = [];
  const n = secret.length;
  for (let k = 0; k < 3; k++) {
    const text = Buffer.concat([Buffer.alloc(k), secret, Buffer.alloc(2)]).toString('base64');
    const first = Math.ceil((8 * k) / 6);
    const last = Math.floor((8 * k + 8 * n) / 6);
    if (last - first >= MIN_DERIVED) forms.push(text.slice(first, last));
  }
  return forms;
}

/** The plain secret and its derived forms, deduplicated; empty secrets give nothing. */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const forms = new Set<string>([secret]);
  const bytes = Buffer.from(secret, 'utf8');
  for (const form of base64Forms(bytes)) forms.add(form);
  const url = encodeURIComponent(secret);
  if (url.length >= MIN_DERIVED) forms.add(url);
  const json = JSON.stringify(secret).slice(1, -1);
  if (json.length >= MIN_DERIVED) forms.add(json);
  return [...forms];
}

/** All forms of all secrets, for a SecretMasker. */
export function maskingPatterns(secrets: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const secret of secrets) for (const form of secretForms(secret)) out.add(form);
  return [...out];
}
