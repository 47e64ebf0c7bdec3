// The router's intent classifier: deterministic rules first; the optional LLM only gets the messages
// the rules could not place, and any failure of it simply means "no intent" (pre-sale Q&A answers).
import { classifyText } from './intents.ts';
import type { LlmClient } from './llm.ts';

/** Names the intent of a message (a flow's `triggers.intents`), or null when it cannot tell. */
export interface IntentClassifier {
  classify(text: string): Promise<{ intent: string; confidence: number } | null>;
}

export function createClassifier(llm: LlmClient | undefined): IntentClassifier {
  return {
    async classify(text) {
      const rule = classifyText(text);
      if (rule || !llm) return rule;
      return llm.classify(text);
    },
  };
}
