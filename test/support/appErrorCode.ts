import { isAppError } from '../../shared/errors';

/** The code of the AppError an action throws (undefined when it succeeds); any other error is rethrown. */
export async function codeOf(action: () => unknown): Promise<string | undefined> {
  try {
    await action();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return undefined;
}

/** `codeOf` for an action that is not async. */
export function codeOfSync(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (isAppError(error)) return error.code;
    throw error;
  }
  return undefined;
}
