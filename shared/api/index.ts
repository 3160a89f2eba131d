export { buildFieldrunApi, type FieldrunApi, type ApiTransport } from './fieldrunApi';
export { methodChannel, eventChannel } from './channels';
export * from './hostProtocol';
export { connectWebSocketTransport, type WebSocketLike, type WebSocketFactory, type WebSocketTransport } from './webSocketTransport';
