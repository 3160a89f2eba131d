// What a fault suite counts. Every loss kind is counted by a real check against a real peer (the
// SQLite file, the host's own records, the DAV server's disk); any loss, or a harness failure
// that left a trial unchecked, makes the suite fail.

export const LOSS_KINDS = [
  'eventsLost',
  'corruptDatabases',
  'chainBreaks',
  'wronglySucceeded',
  'wronglyFailed',
  'stepsRunTwice',
  'stepsLeftRunning',
  'outputLost',
  'outputDuplicated',
  'reportsLost',
  'reportsOverwritten',
  'reportsCorrupted',
  'temporariesLeft',
  'harnessErrors',
] as const;
export type LossKind = (typeof LOSS_KINDS)[number];

const LABELS: Record<LossKind, string> = {
  eventsLost: 'events lost',
  corruptDatabases: 'corrupt databases',
  chainBreaks: 'chain breaks',
  wronglySucceeded: 'steps wrongly marked succeeded',
  wronglyFailed: 'steps wrongly marked failed',
  stepsRunTwice: 'steps run twice',
  stepsLeftRunning: 'steps left running',
  outputLost: 'output lost',
  outputDuplicated: 'output duplicated',
  reportsLost: 'reports lost',
  reportsOverwritten: 'reports overwritten',
  reportsCorrupted: 'reports corrupted',
  temporariesLeft: 'temporaries left on server',
  harnessErrors: 'harness errors (trial not checked)',
};

/** Findings kept in memory; the counts go on past it. */
const MAX_FINDINGS = 200;

export interface FaultTotals {
  readonly suite: string;
  runs: number;
  faultsInjected: number;
  readonly losses: Record<LossKind, number>;
  /** One line per loss, with what replays it (seed, round, run). */
  readonly findings: string[];
  /** What the suite saw besides losses: fault kinds, unknown outcomes, verify checks. */
  readonly notes: Record<string, number | string>;
  wallMs: number;
}

export function newTotals(suite: string): FaultTotals {
  return {
    suite,
    runs: 0,
    faultsInjected: 0,
    losses: Object.fromEntries(LOSS_KINDS.map((k) => [k, 0])) as Record<LossKind, number>,
    findings: [],
    notes: {},
    wallMs: 0,
  };
}

export function recordLoss(totals: FaultTotals, kind: LossKind, finding: string): void {
  totals.losses[kind] += 1;
  if (totals.findings.length < MAX_FINDINGS) totals.findings.push(`${LABELS[kind]}: ${finding}`);
}

/** Adds to a numeric note (a counter of something seen, not a loss). */
export function countNote(totals: FaultTotals, name: string, by = 1): void {
  const was = totals.notes[name];
  totals.notes[name] = (typeof was === 'number' ? was : 0) + by;
}

export function totalLosses(totals: FaultTotals): number {
  return LOSS_KINDS.reduce((sum, kind) => sum + totals.losses[kind], 0);
}

export function formatTotals(totals: FaultTotals): string {
  const lines = [
    `== ${totals.suite}: ${totalLosses(totals) === 0 ? 'no loss' : `${totalLosses(totals)} LOSSES`} (${(totals.wallMs / 1000).toFixed(1)} s)`,
    `   runs ${totals.runs}, faults injected ${totals.faultsInjected}`,
    ...LOSS_KINDS.map((kind) => `   ${LABELS[kind].padEnd(36)} ${totals.losses[kind]}`),
  ];
  const notes = Object.entries(totals.notes);
  if (notes.length > 0) lines.push(`   seen: ${notes.map(([k, v]) => `${k} ${v}`).join('; ')}`);
  for (const finding of totals.findings) lines.push(`   ! ${finding}`);
  if (totals.findings.length < totalLosses(totals)) lines.push(`   ! … ${totalLosses(totals) - totals.findings.length} more`);
  return lines.join('\n');
}

/** Runs `body`, counting a thrown error as a harness error rather than letting it end the suite unreported. */
export async function guardedTrial(totals: FaultTotals, context: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    recordLoss(totals, 'harnessErrors', `${context}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
