// Commands that survive the link: a wrapper on the host records pid, output and exit code, so
// the client can reattach after a drop (DESIGN.md, "Commands survive the link").
export type { RemoteShell } from './remoteShell';
export { startCommand, type StartCommandOptions } from './startCommand';
export { reattach, type ReattachOptions } from './reattach';
export { cancelCommand, type CancelState } from './cancelCommand';
export { cleanupExecutions, type CleanupOptions } from './cleanupExecutions';
export { isFinal, type CommandFacts, type CommandOutcome, type CommandResult, type UnknownReason } from './commandResult';
export type { OutputSink } from './outputStream';
export type { MaskedChunk } from '../masking/outputMasker';
export { assertExecId } from './execId';
