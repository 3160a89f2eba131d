// One export of the run: when, how big, where it is, and "Verify" (lines shown) and, in browser
// mode, "Download" with its progress.
import { useId, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { call, errorText } from '../../api/api';
import { CopyButton } from '../../components/CopyButton';
import { ErrorNotice } from '../../components/states';
import { formatBytes, formatDateTime, t } from '../../i18n/t';
import { archiveFileName, downloadArchive } from './downloadArchive';

type ExportSummary = MethodOutput<'reports.list'>['exports'][number];
type Verification = MethodOutput<'reports.verify'>;

// In Electron the preload sets window.fieldrun and the files are on this computer; in browser mode
// the page may run elsewhere, so it downloads.
const browserMode = (): boolean => window.fieldrun === undefined;

function VerifyResult({ seq, result }: { readonly seq: number; readonly result: Verification }) {
  return (
    <div className={result.ok ? 'notice ok stack' : 'notice fail stack'} role="status">
      <p>{result.ok ? t('report.verified') : t('report.verifyFailed', { message: result.failure?.message ?? '', code: result.failure?.code ?? '' })}</p>
      {result.signerFingerprint !== null && <p className="mono">{t('report.signer', { fingerprint: result.signerFingerprint })}</p>}
      <ol className="verify-lines mono" aria-label={t('report.verifyLines', { seq })}>
        {result.lines.map((line, i) => (
          <li key={i}>{line}</li>
        ))}
      </ol>
    </div>
  );
}

export function ExportRow({ runId, entry }: { readonly runId: string; readonly entry: ExportSummary }) {
  const id = useId();
  const [verifying, setVerifying] = useState(false);
  const [result, setResult] = useState<Verification | undefined>(undefined);
  const [progress, setProgress] = useState<{ received: number; size: number } | undefined>(undefined);
  const [downloaded, setDownloaded] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | undefined>(undefined);

  const verify = async (): Promise<void> => {
    setVerifying(true);
    setFailure(undefined);
    try {
      setResult(await call('reports.verify', { runId, exportSeq: entry.exportSeq }));
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setVerifying(false);
    }
  };

  const download = async (): Promise<void> => {
    setFailure(undefined);
    setDownloaded(false);
    setProgress({ received: 0, size: entry.archiveSize });
    try {
      await downloadArchive(runId, entry.exportSeq, (received, size) => setProgress({ received, size }));
      setDownloaded(true);
    } catch (error) {
      setFailure(errorText(error));
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <li className="card stack" aria-labelledby={`${id}-h`}>
      <h3 id={`${id}-h`}>{t('report.exportTitle', { seq: entry.exportSeq })}</h3>
      <p>
        {t('report.exportedAt', { time: formatDateTime(entry.exportedAt) })} · {t('report.size', { size: formatBytes(entry.archiveSize) })}
      </p>
      <dl className="paths">
        <dt>{t('report.bundlePath')}</dt>
        <dd className="row">
          <span className="mono">{entry.bundleDir}</span> <CopyButton value={entry.bundleDir} label={t('report.bundlePath')} />
        </dd>
        <dt>{t('report.archivePath')}</dt>
        <dd className="mono">{entry.archivePath}</dd>
        <dt>{t('report.manifest')}</dt>
        <dd className="mono">{entry.manifestSha256}</dd>
      </dl>
      <div className="row">
        <button type="button" disabled={verifying} onClick={() => void verify()}>
          {verifying ? t('report.verifying') : t('report.verify')}
        </button>
        {browserMode() && (
          <button type="button" disabled={progress !== undefined} onClick={() => void download()}>
            {t('report.download')}
          </button>
        )}
      </div>
      {progress !== undefined && (
        <div role="status">
          <label htmlFor={`${id}-progress`}>{t('report.downloading', { received: formatBytes(progress.received), size: formatBytes(progress.size) })}</label>
          <progress id={`${id}-progress`} max={Math.max(1, progress.size)} value={progress.received} />
        </div>
      )}
      {downloaded && <p role="status">{t('report.downloaded', { name: archiveFileName(runId, entry.exportSeq) })}</p>}
      {result !== undefined && <VerifyResult seq={entry.exportSeq} result={result} />}
      {failure !== undefined && <ErrorNotice error={failure} />}
    </li>
  );
}
