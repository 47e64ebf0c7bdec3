// The reply box's typing signal (issue 16): while the agent types, the customer's chat shows
// "客服小美正在输入…". Sent at most every TYPING_REPEAT_MS while the text changes (the widget hides
// the line after twice that without a signal), and "stopped" when the box is cleared, loses focus,
// the reply is sent or the pane closes. Only the agent holding the open conversation signals: the
// server refuses everyone else. A signal that fails is not worth a word to the agent.
import { useEffect, useRef } from 'preact/hooks';
import { api } from './api.ts';

export const TYPING_REPEAT_MS = 3000;

export interface TypingSignal {
  /** The box's text changed. */
  input(text: string): void;
  /** The agent stopped (sent, cleared, left the box). */
  stop(): void;
}

interface TypingState {
  typing: boolean;
  lastSent: number;
}

function send(conversationId: number, typing: boolean): void {
  api.typing(conversationId, typing).catch(() => undefined);
}

function stopTyping(state: TypingState, conversationId: number): void {
  if (!state.typing) return;
  state.typing = false;
  state.lastSent = 0;
  send(conversationId, false);
}

export function useTypingSignal(conversationId: number, holding: boolean): TypingSignal {
  const state = useRef<TypingState>({ typing: false, lastSent: 0 });
  // Closing the pane (or moving to another conversation) mid-sentence stops it too.
  useEffect(() => {
    const current = state.current;
    return () => stopTyping(current, conversationId);
  }, [conversationId]);
  return {
    input(text) {
      const current = state.current;
      if (!holding) return;
      if (!text.trim()) {
        stopTyping(current, conversationId);
        return;
      }
      const now = Date.now();
      if (current.typing && now - current.lastSent < TYPING_REPEAT_MS) return;
      current.typing = true;
      current.lastSent = now;
      send(conversationId, true);
    },
    stop: () => stopTyping(state.current, conversationId),
  };
}
