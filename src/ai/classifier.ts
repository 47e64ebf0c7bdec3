// The router's intent classifier: deterministic rules first; the optional LLM only gets the messages
// the rules could not place, and any failure of it simply means "no intent" (pre-sale Q&A answers).
import type { IntentClassifier } from '../core/router.ts';
import { classifyText } from './intents.ts';
import type { LlmClient } from './llm.ts';

export function createClassifier(llm: LlmClient | undefined): IntentClassifier {
  return {
    async classify(text) {
      const rule = classifyText(text);
      if (rule || !llm) return rule;
      return llm.classify(text);
    },
  };
}
