// The router's intent classifier: deterministic rules first; the optional LLM only gets the messages
// the rules could not place, and any failure of it simply means "no intent" (pre-sale Q&A answers).
import { classifyText } from './intents.ts';
import type { LlmClient } from './llm.ts';

/** An intent guess for one message (the router's IntentClassifier accepts this shape). */
export interface TextClassifier {
  classify(text: string): Promise<{ intent: string; confidence: number } | null>;
}

export function createClassifier(llm: LlmClient | undefined): TextClassifier {
  return {
    async classify(text) {
      const rule = classifyText(text);
      if (rule || !llm) return rule;
      return llm.classify(text);
    },
  };
}
