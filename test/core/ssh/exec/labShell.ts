// Helpers for the exec, upload and masking tests against the real sshd lab (not a test file).
import { connect, type ConnectOptions, type HostEndpoint, type SshConnection } from '../../../../electron/core/ssh/connection';
import type { MaskedChunk } from '../../../../electron/core/ssh/exec';
import type { TestLab } from '../../../hosts';

/** A lab host as a plan pins it (all its fixed keys), its jump chain following `behind`. */
export function labEndpoint(lab: TestLab, name: string): HostEndpoint {
  const host = lab.host(name);
  return {
    name,
    address: host.address,
    port: host.port,
    user: lab.user.name,
    pinnedKeys: host.hostKeys.map((key) => ({ type: key.type, fingerprint: key.fingerprint })),
    tags: [],
    ...(host.behind === undefined ? {} : { jump: labEndpoint(lab, host.behind) }),
  };
}

/** Logs in with the lab's key; keepalive 1 s x 3 so a dead link shows within ~4 s. */
export function connectLab(lab: TestLab, name: string, extra: Partial<ConnectOptions> = {}): Promise<SshConnection> {
  return connect(labEndpoint(lab, name), {
    credentials: [{ name: 'lab', appliesTo: { all: true }, credentials: [{ kind: 'privateKey', keyPath: lab.user.privateKeyPath }] }],
    hostKeys: {
      decideUnknown: async () => 'reject',
      known: () => [],
    },
    keepaliveIntervalMs: 1000,
    keepaliveCountMax: 3,
    ...extra,
  });
}

/** Collects masked output per stream and checks that pieces follow each other without gap. */
export class OutputCollector {
  readonly pieces: MaskedChunk[] = [];
  private readonly next = { stdout: 0, stderr: 0 };
  private readonly parts: Record<'stdout' | 'stderr', Buffer[]> = { stdout: [], stderr: [] };

  constructor(from: { stdout: number; stderr: number } = { stdout: 0, stderr: 0 }) {
    this.next = { ...from };
  }

  readonly sink = (chunk: MaskedChunk): void => {
    if (chunk.offset !== this.next[chunk.stream]) throw new Error(`${chunk.stream} piece at ${chunk.offset}, expected ${this.next[chunk.stream]}`);
    this.next[chunk.stream] = chunk.end;
    this.pieces.push(chunk);
    this.parts[chunk.stream].push(Buffer.from(chunk.data));
  };

  bytes(stream: 'stdout' | 'stderr'): Buffer {
    return Buffer.concat(this.parts[stream]);
  }

  text(stream: 'stdout' | 'stderr'): string {
    return this.bytes(stream).toString('utf8');
  }

  get offsets(): { stdout: number; stderr: number } {
    return { ...this.next };
  }
}

let counter = 0;
/** A fresh execution id for this test process. */
export function newExecId(label: string): string {
  counter += 1;
  return `t${process.pid}.${Date.now().toString(36)}.${label}.${counter}`;
}
