// The plan's hosts: where they are, their tags, the keys the plan pins, and what this run saw
// of each (the key it connected with, the last error, an exclusion or a key override).
import { useId } from 'react';
import type { Plan } from '../../../shared/plan';
import type { HostFacts } from '../../../shared/run';
import { t } from '../../i18n/t';
import { currentHostError } from './hostFacts';

function SeenInRun({ facts }: { readonly facts: HostFacts | undefined }) {
  if (facts === undefined) return <span className="muted">{t('overview.hosts.notYet')}</span>;
  const error = currentHostError(facts);
  return (
    <span className="stack">
      {facts.connected !== undefined && (
        <span className="badge ok mono">
          {t('overview.hosts.connected', { keyType: facts.connected.keyType, fingerprint: facts.connected.fingerprint, verdict: facts.connected.hostKeyVerdict })}
        </span>
      )}
      {facts.connected === undefined && error === undefined && <span className="muted">{t('overview.hosts.notYet')}</span>}
      {error !== undefined && <span className="badge fail">{t('overview.hosts.error', { message: error.message, code: error.code })}</span>}
      {facts.keyOverride !== undefined && <span className="badge warn mono">{t('overview.hosts.override', { fingerprint: facts.keyOverride.fingerprint })}</span>}
      {facts.excluded !== undefined && <span className="badge warn">{t('overview.hosts.excluded', { reason: facts.excluded.reason })}</span>}
    </span>
  );
}

export function HostTable({ plan, hosts }: { readonly plan: Plan; readonly hosts: Readonly<Record<string, HostFacts>> }) {
  const id = useId();
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('overview.hosts.title')}</h2>
      <table aria-label={t('overview.hosts.label')} className="overview-hosts">
        <thead>
          <tr>
            <th scope="col">{t('overview.hosts.name')}</th>
            <th scope="col">{t('overview.hosts.address')}</th>
            <th scope="col">{t('overview.hosts.tags')}</th>
            <th scope="col">{t('overview.hosts.pinned')}</th>
            <th scope="col">{t('overview.hosts.seen')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.hosts.map((host) => (
            <tr key={host.name}>
              <th scope="row">{host.name}</th>
              <td className="mono">
                {t('overview.hosts.login', { user: host.user, address: host.address, port: host.port })}
                {host.jump !== undefined && <span className="muted"> {t('overview.hosts.via', { jump: host.jump })}</span>}
              </td>
              <td>
                {host.tags.map((tag) => (
                  <span key={tag} className="badge neutral">
                    {tag}
                  </span>
                ))}
              </td>
              <td className="mono">
                {host.hostKeys.length === 0 ? (
                  <span className="muted">{t('overview.hosts.noPin')}</span>
                ) : (
                  host.hostKeys.map((k) => <div key={k.fingerprint}>{t('overview.hosts.pinnedKey', { keyType: k.type, fingerprint: k.fingerprint })}</div>)
                )}
              </td>
              <td>
                <SeenInRun facts={hosts[host.name]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
