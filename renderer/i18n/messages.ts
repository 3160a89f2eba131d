// The one catalogue: every string the UI shows, by key, assembled from one file per screen so that
// each screen's strings live beside each other and translators get one list.
import { common } from './en/common';
import { plans } from './en/plans';
import { overview } from './en/overview';
import { connect } from './en/connect';
import { checklist } from './en/checklist';
import { baseline } from './en/baseline';
import { deploy } from './en/deploy';
import { handover } from './en/handover';
import { report } from './en/report';
import { outbox } from './en/outbox';
import { settings } from './en/settings';
import { attachments } from './en/attachments';

export const en = { ...common, ...plans, ...overview, ...connect, ...checklist, ...baseline, ...deploy, ...handover, ...report, ...outbox, ...settings, ...attachments } as const;

export type MessageKey = keyof typeof en;
