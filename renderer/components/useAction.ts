// A button's call to the core: busy while it runs, and the failure to show (code and message).
import { useState } from 'react';
import { errorText } from '../api/api';

export interface Action<A extends unknown[]> {
  readonly busy: boolean;
  readonly failure: { readonly code: string; readonly message: string } | undefined;
  run(...args: A): Promise<void>;
}

export function useAction<A extends unknown[]>(act: (...args: A) => Promise<void>): Action<A> {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | undefined>(undefined);
  return {
    busy,
    failure,
    run: async (...args: A) => {
      setBusy(true);
      setFailure(undefined);
      try {
        await act(...args);
      } catch (error) {
        setFailure(errorText(error));
      } finally {
        setBusy(false);
      }
    },
  };
}
