// Limits on what a plan may contain. A plan past any of them is refused whole, with a located
// problem, before it can cost real time or memory. The values leave ample room for the largest
// real rollouts (hundreds of hosts, a few hundred steps) while keeping validation of a plan at
// every limit around a second.
export const PLAN_LIMITS = {
  /** Size of the plan file in bytes (5 MiB), checked before anything is decoded. */
  maxBytes: 5 * 1024 * 1024,
  /** Entries in `hosts`. */
  maxHosts: 1_000,
  /** Entries in `steps`. */
  maxSteps: 2_000,
  /** Entries in `baseline` (each check runs on every host it selects). */
  maxChecks: 2_000,
  /** Nesting depth of mappings and lists; the format itself needs fewer than 10. */
  maxDepth: 64,
  /** Alias nodes (`*name`) in the file. */
  maxAliases: 100,
  /** YAML nodes (keys, values, mappings, lists) after aliases are expanded; a plan at all the
   *  limits above has about 80,000. */
  maxNodes: 200_000,
  /** Problems listed for one plan; past this the list ends with a TOO_MANY_PROBLEMS note. */
  maxProblems: 1_000,
} as const;

export type PlanLimits = typeof PLAN_LIMITS;
