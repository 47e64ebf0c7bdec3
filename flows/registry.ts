// Every flow the bot knows, in trigger-priority order, and which commands interrupt an active flow.
// A new flow is added here, and its name to names.ts (a test checks the two lists agree).
import type { RegisteredFlow } from '../src/core/flow.ts';
import { afterSaleFlow } from './aftersale.ts';
import { broadcastFlow } from './broadcast.ts';
import { campaignFlow } from './campaign.ts';
import { complaintFlow } from './complaint.ts';
import { loyaltyFlow } from './loyalty.ts';
import { menuFlow } from './menu.ts';
import { ordersFlow } from './orders.ts';
import { presaleFlow } from './presale.ts';
import { privacyFlow } from './privacy.ts';
import { profileFlow } from './profile.ts';
import { surveyFlow } from './survey.ts';
import { cancelFlow, helpFlow, humanFlow, languageFlow, subscribeFlow, unsubscribeFlow } from './system.ts';

export const flows: RegisteredFlow[] = [
  menuFlow,
  helpFlow,
  humanFlow,
  unsubscribeFlow,
  subscribeFlow,
  privacyFlow,
  languageFlow,
  cancelFlow,
  profileFlow,
  loyaltyFlow,
  surveyFlow,
  complaintFlow,
  ordersFlow,
  afterSaleFlow,
  presaleFlow,
  campaignFlow,
  broadcastFlow,
];

/** Commands that leave any flow in progress: a customer can always get out, get help or get a person. */
export const interruptingFlows = ['menu', 'help', 'human', 'unsubscribe', 'privacy', 'cancel', 'language'];

/** Flows whose patterns are checked before any other routing (complaint detection). */
export const preemptingFlows = ['complaint'];

export { notUnderstoodReply } from './menu.ts';
