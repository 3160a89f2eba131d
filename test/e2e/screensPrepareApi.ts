// A second client of the browser-mode host, speaking the same WebSocket protocol as the page
// (not a stand-in for it): the spec uses it only where another engineer's screen would act
// (running the baseline), and to read what the core recorded.
import WebSocket from 'ws';
import { buildFieldrunApi, type FieldrunApi } from '../../shared/api/fieldrunApi';
import { HOST_API_PATH } from '../../shared/api/hostProtocol';
import { connectWebSocketTransport, type WebSocketLike } from '../../shared/api/webSocketTransport';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';

export interface HostClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  close(): void;
}

/** Connects with the token from the URL the host printed. */
export async function connectHostClient(url: string): Promise<HostClient> {
  const parsed = new URL(url);
  const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
  const transport = connectWebSocketTransport(
    `ws://${parsed.host}${HOST_API_PATH}`,
    token,
    (u, protocols) => new WebSocket(u, protocols, { origin: parsed.origin }) as unknown as WebSocketLike,
  );
  await transport.opened;
  const api: FieldrunApi = buildFieldrunApi(transport);
  return {
    async call(method, input) {
      const invoke = api[method] as unknown as (input: unknown) => Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>;
      const answer = await invoke(input);
      if (!answer.ok) throw new Error(`${method} refused: ${answer.error.code}: ${answer.error.message}`);
      return answer.value as never;
    },
    close: () => transport.close(),
  };
}
