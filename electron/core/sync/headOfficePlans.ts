// Plans flow from head office to the laptop: list `<base>/plans/` (PROPFIND depth 1) and fetch one
// plan, never more than a bounded number of bytes. Verifying and importing it is the plan
// importer's job.
import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { sendDav, type DavConnection } from './davHttp';
import { failureOf } from './davOutcome';
import { childrenOf, parseMultistatus } from './multistatus';

export interface RemotePlan {
  name: string;
  length?: number;
  lastModified?: string;
}

export interface DownloadedPlan {
  name: string;
  bytes: Buffer;
  sha256: string;
}

export const DEFAULT_MAX_PLAN_BYTES = 32 * 1024 * 1024;
const PLAN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function plansFolder(base: URL): URL {
  return new URL('plans/', base);
}

export async function listPlans(connection: DavConnection, base: URL): Promise<RemotePlan[]> {
  const folder = plansFolder(base);
  const answer = await sendDav(connection, { method: 'PROPFIND', url: folder, headers: { depth: '1' }, read: { kind: 'bytes', maxBytes: 4 * 1024 * 1024 } });
  if (answer.ok && answer.status === 404) return [];
  if (!(answer.ok && answer.status === 207)) throw toAppError(failureOf(answer, 'list the plans'));
  return childrenOf(parseMultistatus(answer.body.toString('utf8')), decodeURIComponent(folder.pathname))
    .filter((e) => !e.isCollection && PLAN_NAME.test(e.name))
    .map((e) => {
      const plan: RemotePlan = { name: e.name };
      if (e.length !== undefined) plan.length = e.length;
      if (e.lastModified !== undefined) plan.lastModified = e.lastModified;
      return plan;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function downloadPlan(connection: DavConnection, base: URL, name: string, maxBytes = DEFAULT_MAX_PLAN_BYTES): Promise<DownloadedPlan> {
  if (!PLAN_NAME.test(name)) throw new AppError('SYNC_NAME_INVALID', `"${name}" is not a plan file name on head office. Pick a plan from the list.`);
  const answer = await sendDav(connection, { method: 'GET', url: new URL(encodeURIComponent(name), plansFolder(base)), read: { kind: 'bytes', maxBytes } });
  if (!answer.ok && answer.failure === 'too-large') {
    throw new AppError('SYNC_RESPONSE_TOO_LARGE', `The plan ${name} is larger than ${maxBytes} bytes, more than a plan should be. Ask head office to check it.`, { name, maxBytes });
  }
  if (answer.ok && answer.status === 404) throw new AppError('PLAN_NOT_FOUND', `The plan ${name} is no longer on head office. Refresh the list.`, { name });
  if (!(answer.ok && answer.status === 200)) throw toAppError(failureOf(answer, `download the plan ${name}`));
  return { name, bytes: answer.body, sha256: createHash('sha256').update(answer.body).digest('hex') };
}

function toAppError(failure: ReturnType<typeof failureOf>): AppError {
  return new AppError(failure.error.code, failure.error.message, { ...failure.error.details, retryable: failure.kind === 'retryable' });
}
