import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { collectDiagnostics, type Diagnostics, type DiagnosticsSources } from './collectDiagnostics';

export function diagnosticsDir(dataDir: string): string {
  return join(dataDir, 'diagnostics');
}

/** Plain text, one `label: value` per line under each section title, for a support ticket. */
export function renderDiagnostics(diagnostics: Diagnostics): string {
  const out: string[] = [];
  for (const section of diagnostics.sections) {
    out.push(`== ${section.title}`);
    for (const [label, value] of section.lines) out.push(`${label}: ${value}`);
    out.push('');
  }
  out.push('Not included: plan contents, host names and addresses, variable values, secrets, command output, notes, error messages.');
  return `${out.join('\n')}\n`;
}

/** Collects the diagnostics and writes them to `<dataDir>/diagnostics/diagnostics-<UTC time>.txt` (a new file each time). */
export async function writeDiagnostics(sources: DiagnosticsSources): Promise<{ path: string; text: string }> {
  const diagnostics = await collectDiagnostics(sources);
  const text = renderDiagnostics(diagnostics);
  const dir = diagnosticsDir(sources.store.dataDir);
  const stamp = diagnostics.generatedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (let attempt = 1; ; attempt++) {
      const path = join(dir, `diagnostics-${stamp}${attempt === 1 ? '' : `-${attempt}`}.txt`);
      try {
        // 'wx': two exports in the same second get two files, never one overwritten.
        const handle = await open(path, 'wx', 0o600);
        try {
          await handle.writeFile(text, 'utf8');
        } finally {
          await handle.close();
        }
        return { path, text };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
      }
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError('STORE_IO_FAILED', `The diagnostics file could not be written in ${dir} (${code}). Free some disk space or check the folder's permissions, then try again.`, { code });
  }
}
