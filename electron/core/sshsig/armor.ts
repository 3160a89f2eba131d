import { AppError } from '../../../shared/errors';
import { WireFormatError } from './sshWire';
import { decodeStrictBase64 } from './publicKeys';

// The armored form of PROTOCOL.sshsig §1, byte for byte as OpenSSH's sshsig_armor writes it:
// base64 wrapped at 70 columns (sshbuf_dtob64 with wrap), every line ending in "\n".

export const ARMOR_BEGIN = '-----BEGIN SSH SIGNATURE-----';
export const ARMOR_END = '-----END SSH SIGNATURE-----';
const WRAP_COLUMNS = 70;

export function armorSignature(blob: Buffer): string {
  const encoded = blob.toString('base64');
  const lines: string[] = [];
  for (let at = 0; at < encoded.length; at += WRAP_COLUMNS) lines.push(encoded.slice(at, at + WRAP_COLUMNS));
  return `${ARMOR_BEGIN}\n${lines.join('\n')}\n${ARMOR_END}\n`;
}

/**
 * The blob inside an armored signature. Like sshsig_dearmor, the text must start with the header
 * line and the base64 may hold whitespace; unlike it, anything but whitespace after the footer is
 * refused too, so that a signature file cannot smuggle other content.
 */
export function dearmorSignature(armored: string | Buffer): Buffer {
  // latin1 keeps every byte distinct, so a stray non-ASCII byte fails the base64 check below.
  const text = typeof armored === 'string' ? armored : armored.toString('latin1');
  if (text.trim() === '') throw malformed('The signature file is empty', 'empty');
  if (!text.startsWith(`${ARMOR_BEGIN}\n`)) {
    throw malformed(`The signature does not start with the line ${ARMOR_BEGIN}`, 'missing header');
  }
  const bodyStart = ARMOR_BEGIN.length + 1;
  const footerAt = text.indexOf(`\n${ARMOR_END}`, bodyStart - 1);
  if (footerAt < 0) throw malformed(`The signature has no ${ARMOR_END} line: it is cut short`, 'missing footer');
  const afterFooter = text.slice(footerAt + 1 + ARMOR_END.length);
  if (!/^\s*$/.test(afterFooter)) throw malformed(`The signature has text after its ${ARMOR_END} line`, 'text after footer');
  // b64_pton skips exactly the C isspace() set.
  const body = text.slice(bodyStart, footerAt).replace(/[ \t\n\v\f\r]/g, '');
  try {
    return decodeStrictBase64(body, 'the signature body');
  } catch (error) {
    if (error instanceof WireFormatError) throw malformed(`The signature is damaged: ${error.message}`, error.message);
    throw error;
  }
}

function malformed(what: string, problem: string): AppError {
  return new AppError('SIGNATURE_MALFORMED', `${what}. Ask for the signature file again; it must be the whole ${ARMOR_BEGIN} … ${ARMOR_END} text.`, { problem });
}
