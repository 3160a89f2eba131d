import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { verifyBundle, type BundleVerdict } from '../core/report';
import type { CliIo } from './io';
import { EXIT } from './io';

export interface ReportVerifyOptions {
  readonly allowedSigners?: string;
  readonly json: boolean;
}

/** `fieldrun report verify <bundle>`: 0 trusted and intact, 1 a check failed, 2 intact but UNTRUSTED. */
export async function reportVerifyCommand(bundle: string, options: ReportVerifyOptions, io: CliIo): Promise<number> {
  let allowedSigners: string | undefined;
  if (options.allowedSigners !== undefined) {
    try {
      allowedSigners = await readFile(options.allowedSigners, 'utf8');
    } catch (error) {
      const errno = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new AppError('ALLOWED_SIGNERS_INVALID', `Cannot read the allowed signers file ${options.allowedSigners} (${errno}). Check the path.`, { path: options.allowedSigners });
    }
  }
  const verdict = await verifyBundle(bundle, allowedSigners === undefined ? {} : { allowedSigners });
  const exit = verdict.status === 'trusted' ? EXIT.ok : verdict.status === 'untrusted' ? EXIT.untrusted : EXIT.failed;
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ bundle, ...verdict }, null, 2)}\n`);
    return exit;
  }
  io.stdout.write(describeVerdict(bundle, verdict));
  return exit;
}

function describeVerdict(bundle: string, verdict: BundleVerdict): string {
  const lines = [`bundle: ${bundle}`, ...verdict.found.map((line) => `  ${line}`)];
  if (verdict.signer !== undefined && !verdict.found.some((line) => line.startsWith('signature:'))) {
    lines.push(`  signer: ${verdict.signer.fingerprint} (${verdict.signer.publicKey})`);
  }
  if (verdict.status === 'trusted') lines.push(verdict.reason);
  else if (verdict.status === 'untrusted') lines.push(verdict.reason);
  else lines.push(`INVALID: ${verdict.code ?? 'REPORT_BUNDLE_INVALID'}: ${verdict.reason}`);
  return `${lines.join('\n')}\n`;
}
