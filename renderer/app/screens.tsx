// Which component draws which screen.
import type { ComponentType } from 'react';
import type { ScreenId } from './navigation';
import { PlansScreen } from '../screens/plans/PlansScreen';
import { OverviewScreen } from '../screens/overview/OverviewScreen';
import { ConnectScreen } from '../screens/connect/ConnectScreen';
import { ChecklistScreen } from '../screens/checklist/ChecklistScreen';
import { BaselineScreen } from '../screens/baseline/BaselineScreen';
import { DeployScreen } from '../screens/deploy/DeployScreen';
import { HandoverScreen } from '../screens/handover/HandoverScreen';
import { ReportScreen } from '../screens/report/ReportScreen';
import { OutboxScreen } from '../screens/outbox/OutboxScreen';
import { SettingsScreen } from '../screens/settings/SettingsScreen';

export const SCREENS: Readonly<Record<ScreenId, ComponentType>> = {
  plans: PlansScreen,
  overview: OverviewScreen,
  connect: ConnectScreen,
  checklist: ChecklistScreen,
  baseline: BaselineScreen,
  deploy: DeployScreen,
  handover: HandoverScreen,
  report: ReportScreen,
  outbox: OutboxScreen,
  settings: SettingsScreen,
};
