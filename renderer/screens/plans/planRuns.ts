// The runs of one plan, newest first, as the plans list shows them.
export interface RunSummaryView {
  readonly runId: string;
  readonly planHash: string;
  readonly createdAt: string;
  readonly label: string | null;
  readonly phase?: string | undefined;
}

export function runsOfPlan<R extends RunSummaryView>(runs: readonly R[], planHash: string): R[] {
  return runs.filter((r) => r.planHash === planHash).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
