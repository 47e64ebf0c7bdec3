// "客服小美正在输入… / Mei is typing…": shown while the staff member holding the chat types in the
// console (the stream's `typing` signals), gone when they stop, when their reply arrives, or after
// STAFF_TYPING_TIMEOUT_MS without a new signal (the console repeats it every few seconds while
// typing, so a closed console tab cannot leave it on screen).
import type { StaffTypingSignal } from './api.ts';
import { el } from './dom.ts';
import type { Translate } from './i18n.ts';

/** Twice the console's repeat interval: one lost signal does not make the indicator flicker. */
export const STAFF_TYPING_TIMEOUT_MS = 6000;

export class StaffTyping {
  private item: HTMLLIElement | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  /** `place` puts the line at the end of the thread (the widget keeps typing lines last). */
  constructor(
    private readonly t: Translate,
    private readonly place: (item: HTMLLIElement) => void,
  ) {}

  signal(signal: StaffTypingSignal): void {
    if (!signal.typing) {
      this.hide();
      return;
    }
    const text = signal.staffName
      ? this.t('staffTyping').replace('{name}', signal.staffName)
      : this.t('staffTypingUnnamed');
    if (this.item) {
      const bubble = this.item.querySelector('.bubble');
      if (bubble) bubble.textContent = text;
    } else {
      this.item = el('li', { class: 'msg staff typing staff-typing' }, el('div', { class: 'bubble' }, text));
      this.place(this.item);
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.hide(), STAFF_TYPING_TIMEOUT_MS);
  }

  hide(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.item?.remove();
    this.item = undefined;
  }
}
