// The plan's checklist items with what the run recorded for each, and how far the list is.
import type { PlanChecklistItem } from '../../../shared/plan';
import type { ChecklistTick } from '../../../shared/run';

export interface ChecklistRow {
  readonly item: PlanChecklistItem;
  readonly tick: ChecklistTick | undefined;
}

export function checklistRows(items: readonly PlanChecklistItem[], ticks: Readonly<Record<string, ChecklistTick>>): ChecklistRow[] {
  return items.map((item) => ({ item, tick: ticks[item.id] }));
}

export function checklistProgress(rows: readonly ChecklistRow[]): { done: number; total: number; requiredLeft: number } {
  return {
    done: rows.filter((r) => r.tick !== undefined).length,
    total: rows.length,
    requiredLeft: rows.filter((r) => r.item.required && r.tick === undefined).length,
  };
}
