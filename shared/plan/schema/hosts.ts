import { z } from 'zod';
import { expecting } from './expectations';
import { Fingerprint, HostAddress, Port, Prose, Slug, UserName } from './primitives';

// Host keys are pinned as `ssh-keygen -l` shows them, with their key type: only the pinned
// types are negotiated, so a pin on the RSA key means the connection uses RSA.
export const HOST_KEY_TYPES = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'] as const;

export const HostKeySchema = z
  .strictObject({
    type: z.enum(HOST_KEY_TYPES).describe('The key type, as in the .pub file: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, …'),
    fingerprint: Fingerprint.describe('SHA256 fingerprint as `ssh-keygen -lf key.pub` prints it.'),
  })
  .describe('A host key the server must present.');

export const HostSchema = z
  .strictObject({
    name: Slug.describe('Unique name of the host in this plan; steps and checks select hosts by name or tag.'),
    address: HostAddress.describe('Host name or IP address to connect to (from the jump host, if there is one).'),
    port: Port.default(22).describe('SSH port; 22 by default.'),
    user: UserName.describe('User to log in as.'),
    hostKeys: z
      .array(HostKeySchema)
      .max(16, 'at most 16 host keys')
      .default([])
      .describe('Pinned host keys. Empty or absent: the technician confirms the fingerprint on first connection.'),
    jump: expecting(Slug.describe('Name of another host in this plan to connect through (ProxyJump).'), 'the name of another host in the plan').optional(),
    tags: z.array(Slug.describe('A tag.')).default([]).describe('Tags that steps and checks can select, such as web or eu-west.'),
    credential: Slug.optional().describe('Name of the credential profile to log in with; the technician chooses when absent.'),
    description: Prose.optional().describe('What the host is, for people.'),
  })
  .describe('A server the plan works on.');

export type PlanHost = z.infer<typeof HostSchema>;
export type HostKeyType = (typeof HOST_KEY_TYPES)[number];
