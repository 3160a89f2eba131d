import { contract, isMethodName } from '../../../shared/contract';
import type { DispatchResult, MethodName, MethodOutput, ParsedInput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { AppErrorData } from '../../../shared/errors';

export type Handler<M extends MethodName> = (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M>;
export type Handlers = { [M in MethodName]: Handler<M> };

export interface DispatcherOptions {
  /** Check every answer against its output schema too (tests and development builds). */
  readonly validateOutput?: boolean;
  /** Told of failures that are not AppErrors (bugs); receives no input values. */
  readonly onInternalError?: (method: string, error: unknown) => void;
}

export type Dispatch = (method: unknown, input: unknown) => Promise<DispatchResult>;

/**
 * The one entry point of the core. Every transport (Electron IPC, the WebSocket host, in-process
 * tests) is a few lines around it. The renderer is untrusted: a handler runs only on input that
 * its schema accepted, and nothing thrown crosses the boundary except as `{ ok: false, error }`.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  return async (method, input) => {
    if (!isMethodName(method)) {
      return failure({
        code: 'METHOD_UNKNOWN',
        message: `There is no method ${JSON.stringify(String(method)).slice(0, 80)}. Update the app so that UI and core match.`,
      });
    }
    const spec = contract[method];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return failure({
        code: 'INPUT_INVALID',
        message: `The arguments of ${method} are not valid: ${parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(argument)'}: ${i.message}`)
          .join('; ')}.`,
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
      });
    }
    try {
      const handler = handlers[method] as (value: unknown) => unknown;
      const value: unknown = await handler(parsed.data);
      if (options.validateOutput === true) {
        const checked = spec.output.safeParse(value);
        if (!checked.success) throw new Error(`${method} answered outside its output schema: ${checked.error.message}`);
      }
      return { ok: true, value };
    } catch (error) {
      if (error instanceof AppError) return failure(error.toData());
      options.onInternalError?.(method, error);
      return failure({
        code: 'INTERNAL',
        message: `${method} failed unexpectedly. Nothing was changed that the journal does not show; export diagnostics and report it.`,
      });
    }
  };
}

const failure = (error: AppErrorData): DispatchResult => ({ ok: false, error });
