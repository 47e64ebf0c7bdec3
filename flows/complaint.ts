// Complaint detection before routing: the router checks these patterns first (registry.ts
// `preemptingFlows`), even in the middle of another flow. Escalation grades severity and opens the
// complaint case; this flow only hands off.
import { defineCommand } from '../src/core/flow.ts';
import { complaintPatterns } from '../src/crm/complaints.ts';

export const complaintFlow = defineCommand({
  name: 'complaint',
  // `intents`: an intent classifier (e.g. the optional LLM one) labelling a message 'complaint'
  // escalates it too, catching anger the patterns miss.
  triggers: { commands: ['/complaint', '投诉', '我要投诉'], patterns: complaintPatterns, intents: ['complaint'] },
  async run() {
    return { type: 'handoff', replies: [], reason: 'complaint' };
  },
});
