import type { z } from 'zod';
import type { AppErrorData } from '../errors';
import { planMethods } from './plans';
import { runMethods } from './runs';
import { fileMethods } from './files';
import { reportMethods } from './reports';
import { outboxMethods } from './outbox';
import { settingsMethods } from './settings';
import { attachmentMethods } from './attachments';

export * from './plans';
export * from './runs';
export * from './files';
export * from './reports';
export * from './outbox';
export * from './settings';
export * from './attachments';
export * from './events';
export type { MethodSpec } from './define';

/** The whole UI↔core contract: every method, declared once. */
export const contract = {
  ...planMethods,
  ...runMethods,
  ...fileMethods,
  ...reportMethods,
  ...outboxMethods,
  ...settingsMethods,
  ...attachmentMethods,
} as const;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (before defaults are applied). */
export type MethodInput<M extends MethodName> = z.input<Contract[M]['input']>;
/** What a handler receives (after parsing). */
export type ParsedInput<M extends MethodName> = z.output<Contract[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract[M]['output']>;
export type DispatchResult<T = unknown> = { ok: true; value: T } | { ok: false; error: AppErrorData };
export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}
