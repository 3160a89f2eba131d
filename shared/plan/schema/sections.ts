import { z } from 'zod';
import { expecting } from './expectations';
import { Email, Flag, Line, Phone, PlanRelativePath, Prose, Sha256, Slug, TimeZone, Timestamp, VariableName, VersionText } from './primitives';

// The parts of a plan around hosts, checks and steps: who it is for, who to call, when the work
// may happen, what it needs, and how it is handed over.

export const MetadataSchema = z
  .strictObject({
    id: Slug.describe('Stable id of the plan; versions of one plan share it.'),
    version: VersionText.describe("Version of this plan, in quotes if it looks like a number: '1.4.0'."),
    title: Line.describe('What the plan does.'),
    client: Line.describe('The client organisation.'),
    site: Line.describe('The site or data centre where the work happens.'),
    increment: Line.optional().describe("Release or increment delivered, in quotes if it is a number: '3'."),
    description: Prose.optional().describe('More about the plan.'),
    author: Line.optional().describe('Who wrote the plan at head office.'),
  })
  .describe('What this plan is.');

export const ContactSchema = z
  .strictObject({
    id: Slug.describe('Unique id of the contact; backup refers to it.'),
    name: Line.describe('Full name.'),
    role: Line.describe('Role during the work, such as client DBA or project manager.'),
    phone: Phone.describe("Phone number, in quotes: '+33 1 23 45 67 89'."),
    email: Email.optional().describe('E-mail address.'),
    organisation: Line.optional().describe('Organisation the contact works for.'),
    key: Flag.default(false).describe('A key person: the work cannot go on without reaching them (or their backup).'),
    backup: expecting(Slug.describe('Id of the contact to call when this one cannot be reached.'), 'the id of another contact').optional(),
  })
  .describe('Someone to reach during the work.');

export const OutageSchema = z
  .strictObject({
    timeZone: TimeZone.describe('IANA time zone of the site, such as Europe/Paris; times are shown in it and in laptop time.'),
    start: Timestamp.describe('Start of the window, with offset: 2026-12-05T22:00:00+01:00.'),
    end: Timestamp.describe('End of the window, with offset; after start.'),
    pointOfNoReturn: Timestamp.describe('Last moment a rollback can still restore service within the window; between start and end.'),
    description: Prose.optional().describe('What the outage means for the client.'),
  })
  .describe('The agreed outage window and its point of no return.');

export const VariableSchema = z
  .strictObject({
    value: expecting(z.string(), "a text value (put numbers in quotes: '8080')").optional().describe('The value; the technician is asked when absent. Never for a secret.'),
    secret: Flag.default(false).describe('A secret: asked on site, never stored in clear, masked in all output.'),
    description: Prose.optional().describe('What the variable is for.'),
    prompt: Line.optional().describe('The question shown when the technician is asked for the value.'),
  })
  .describe('A value used in commands as {{ name }}.');

export const VariablesSchema = z
  .record(VariableName, VariableSchema)
  .default({})
  .describe(
    'Variables by name. In commands (run), {{ name }} inserts the value shell-quoted and {{ raw name }} as-is; in other text (env values, paths, URLs, instructions) both insert the value as-is.',
  );

export const ArtifactSchema = z
  .strictObject({
    id: Slug.describe('Unique id of the artifact; upload steps refer to it.'),
    path: PlanRelativePath.describe('Path of the file relative to the plan file, such as artifacts/shop-2.4.1.tar.gz.'),
    sha256: Sha256.describe('SHA-256 of the file; import and upload check it.'),
    size: expecting(z.number().int('a size in bytes').min(0, 'a size in bytes'), 'a size in bytes').optional().describe('Size in bytes.'),
    description: Prose.optional().describe('What the file is.'),
  })
  .describe('A file carried with the plan.');

export const ChecklistItemSchema = z
  .strictObject({
    id: Slug.describe('Unique id of the item.'),
    text: Prose.describe('What must be true, such as "The client confirmed last night\'s backup".'),
    required: Flag.default(true).describe('Whether the item must be ticked before the work goes on.'),
    help: Prose.optional().describe('How to check it.'),
  })
  .describe('An item to tick, with an optional note.');

export const SignOffSchema = z
  .strictObject({
    role: Slug.describe('Who signs, as a slug: technician, client-operations, …'),
    title: Line.describe('What the signature means, shown next to it.'),
  })
  .describe('A signature collected at handover.');

export const HandoverSchema = z
  .strictObject({
    items: z.array(ChecklistItemSchema).default([]).describe('What is handed over and checked with the client.'),
    signOff: z.array(SignOffSchema).default([]).describe('Who signs the handover.'),
  })
  .describe('Handing operations over to the client.');

export type PlanMetadata = z.infer<typeof MetadataSchema>;
export type PlanContact = z.infer<typeof ContactSchema>;
export type PlanOutage = z.infer<typeof OutageSchema>;
export type PlanVariable = z.infer<typeof VariableSchema>;
export type PlanArtifact = z.infer<typeof ArtifactSchema>;
export type PlanChecklistItem = z.infer<typeof ChecklistItemSchema>;
export type PlanSignOff = z.infer<typeof SignOffSchema>;
export type PlanHandover = z.infer<typeof HandoverSchema>;
