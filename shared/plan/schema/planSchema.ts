import { z } from 'zod';
import { PLAN_LIMITS } from '../limits';
import { BaselineCheckSchema } from './checks';
import { HostSchema } from './hosts';
import { ArtifactSchema, ChecklistItemSchema, ContactSchema, HandoverSchema, MetadataSchema, OutageSchema, VariablesSchema } from './sections';
import { StepSchema } from './steps';

export const PLAN_API_VERSION = 'fieldrun/v1';
export const PLAN_KIND = 'InstallationPlan';

// One schema gives the TypeScript types (`Plan`), runtime validation and the published JSON
// Schema. Unknown keys are refused everywhere: a typo must not silently mean "not set".
export const PlanSchema = z
  .strictObject({
    apiVersion: z.literal(PLAN_API_VERSION).describe('Version of the plan format: fieldrun/v1.'),
    kind: z.literal(PLAN_KIND).describe('Always InstallationPlan.'),
    metadata: MetadataSchema,
    contacts: z.array(ContactSchema).default([]).describe('People to reach during the work.'),
    outage: OutageSchema,
    hosts: z
      .array(HostSchema)
      .min(1, 'at least one host')
      .max(PLAN_LIMITS.maxHosts, `at most ${PLAN_LIMITS.maxHosts} hosts`)
      .describe('The servers the plan works on.'),
    variables: VariablesSchema,
    artifacts: z.array(ArtifactSchema).default([]).describe('Files carried with the plan.'),
    checklist: z.array(ChecklistItemSchema).default([]).describe('The rollout checklist ticked before the work starts.'),
    baseline: z
      .array(BaselineCheckSchema)
      .max(PLAN_LIMITS.maxChecks, `at most ${PLAN_LIMITS.maxChecks} checks`)
      .default([])
      .describe('Checks that establish the state of the hosts before deployment.'),
    steps: z
      .array(StepSchema)
      .min(1, 'at least one step')
      .max(PLAN_LIMITS.maxSteps, `at most ${PLAN_LIMITS.maxSteps} steps`)
      .describe('The deployment steps; needs orders them.'),
    handover: HandoverSchema.default(() => ({ items: [], signOff: [] })),
  })
  .meta({
    title: 'Fieldrun installation plan',
    description: 'An installation plan for Fieldrun (apiVersion fieldrun/v1): hosts, baseline checks, deployment steps and handover.',
  });

/** The validated plan, with defaults filled in. */
export type Plan = z.infer<typeof PlanSchema>;
/** The plan as written, before defaults. */
export type PlanInput = z.input<typeof PlanSchema>;
