// The chat panel: restores the visitor's thread, greets a first-time visitor (no fake message from
// them), sends what they type or press, shows times, staff names and a typing indicator, and keeps
// up live through the stream. Runs as a launcher + panel on any page, or full page at `/`.
import type { OutgoingMessage, Settings, ThreadMessage, WebchatClient } from './api.ts';
import { el, shortTime } from './dom.ts';
import type { Locale, Translate } from './i18n.ts';

export interface WidgetOptions {
  /** `page`: the panel fills the page and is always open; `bubble`: a launcher opens it. */
  mode: 'page' | 'bubble';
  position: 'right' | 'left';
  locale: Locale;
  t: Translate;
  /** Open the panel at once (bubble mode). */
  open: boolean;
}

const chatIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

export class Widget {
  private readonly root = el('div', { class: 'root' });
  private readonly launcher = el('button', { type: 'button', class: 'launcher' });
  private readonly panel = el('section', { class: 'panel' });
  private readonly title = el('h2', { id: 'gx-title' });
  private readonly status = el('span', { class: 'status' });
  private readonly log = el('ol', { class: 'log', 'aria-live': 'polite' });
  private readonly notice = el('div', { class: 'notice', role: 'status', hidden: true });
  private readonly composer = el('form', { class: 'composer', autocomplete: 'off' });
  private readonly input = el('input', { id: 'gx-text', name: 'text', maxlength: '4096' });
  private readonly sendButton = el('button', { type: 'submit', id: 'gx-send' });
  private readonly consentRow = el('label', { class: 'consent', hidden: true });
  private readonly consent = el('input', { type: 'checkbox', id: 'gx-consent' });
  private readonly seen = new Set<string>();
  private settings: Settings | undefined;
  private started = false;
  private unread = 0;
  private readonly badge = el('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  private listening = false;
  private hasSpoken = false;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly shadow: ShadowRoot,
    private readonly client: WebchatClient,
    private readonly options: WidgetOptions,
  ) {}

  async mount(): Promise<void> {
    const { t, mode } = this.options;
    this.root.classList.add(mode);
    if (this.options.position === 'left') this.root.classList.add('left');
    this.root.lang = this.options.locale;
    this.launcher.innerHTML = chatIcon;
    this.launcher.append(this.badge);
    this.launcher.setAttribute('aria-label', t('open'));
    this.launcher.setAttribute('aria-expanded', 'false');
    this.launcher.addEventListener('click', () => this.toggle());

    const close = el('button', { type: 'button', class: 'close', 'aria-label': t('close') }, '×');
    close.addEventListener('click', () => this.toggle(false));
    const header = el('header', {}, this.title, this.status, close);
    this.log.setAttribute('aria-label', t('thread'));
    this.input.placeholder = t('placeholder');
    this.input.setAttribute('aria-label', t('message'));
    this.sendButton.textContent = t('send');
    this.composer.append(this.input, this.sendButton);
    this.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = '';
      void this.send({ text });
    });
    this.consentRow.append(this.consent, el('span', {}, t('consent')));
    this.panel.setAttribute('aria-labelledby', 'gx-title');
    if (mode === 'bubble') {
      this.panel.setAttribute('role', 'dialog');
      this.panel.hidden = true;
    }
    this.panel.append(header, this.log, this.notice, this.composer, this.consentRow);
    this.root.append(...(mode === 'bubble' ? [this.launcher] : []), this.panel);
    this.shadow.append(this.root);

    this.settings = await this.client.settings();
    this.title.textContent = this.settings.title || t('online');
    if (this.settings.logoUrl) header.prepend(el('img', { src: this.settings.logoUrl, alt: '' }));
    this.root.style.setProperty('--accent', this.settings.color);
    if (mode === 'page' || this.options.open) await this.toggle(true);
    else if (this.client.known) await this.resume();
  }

  /**
   * A returning visitor's thread is read (never written) while the panel is still closed, so a
   * staff reply that arrives meanwhile shows on the launcher.
   */
  private async resume(): Promise<void> {
    const history = await this.client.more().catch(() => []);
    if (history.length === 0) return;
    this.started = true;
    this.render(history);
    this.unread = 0;
    this.showUnread();
    this.hasSpoken = history.some((m) => m.from === 'customer');
    this.listen();
  }

  private showUnread(): void {
    const { t } = this.options;
    this.badge.hidden = this.unread === 0;
    this.badge.textContent = this.unread > 9 ? '9+' : String(this.unread);
    this.launcher.setAttribute('aria-label', this.unread ? `${t('open')} (${this.unread} ${t('unread')})` : t('open'));
  }

  /** Opens or closes the panel; the first opening restores the thread or greets the visitor. */
  private async toggle(open = this.panel.hidden): Promise<void> {
    this.panel.hidden = !open;
    this.root.classList.toggle('open', open);
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.unread = 0;
      this.showUnread();
    }
    if (open) this.input.focus();
    if (open && !this.started) {
      this.started = true;
      await this.start();
    }
  }

  private async start(): Promise<void> {
    const history = await this.client.more();
    this.render(history);
    this.hasSpoken = history.some((m) => m.from === 'customer');
    if (history.length > 0) {
      this.listen();
      return;
    }
    const preChat = this.settings?.preChat;
    if (preChat?.name || preChat?.phone) {
      this.showPreChat(preChat);
      return;
    }
    this.consentRow.hidden = false;
    await this.send({ action: 'menu' });
  }

  private showPreChat(fields: { name: boolean; phone: boolean }): void {
    const { t } = this.options;
    const name = el('input', { name: 'name', autocomplete: 'name', maxlength: '100' });
    const phone = el('input', { name: 'phone', type: 'tel', autocomplete: 'tel', maxlength: '32' });
    const consent = el('input', { type: 'checkbox', name: 'consent' });
    const start = el('button', { type: 'submit' }, t('start'));
    const form = el(
      'form',
      { class: 'prechat' },
      el('p', {}, t('intro')),
      ...(fields.name ? [el('label', {}, t('name'), name)] : []),
      ...(fields.phone ? [el('label', {}, t('phone'), phone)] : []),
      el('label', { class: 'consent' }, consent, el('span', {}, t('consent'))),
      start,
    );
    this.composer.hidden = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const profile = {
        ...(name.value.trim() ? { name: name.value.trim() } : {}),
        ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
      };
      void this.send({
        action: 'menu',
        ...(Object.keys(profile).length ? { profile } : {}),
        ...(consent.checked ? { marketingConsent: true } : {}),
      }).then((sent) => {
        if (!sent) return;
        form.remove();
        this.composer.hidden = false;
        this.input.focus();
      });
    });
    this.panel.insertBefore(form, this.composer);
  }

  /** Sends a message (or opens the chat with an action); true when the server took it. */
  private async send(message: OutgoingMessage): Promise<boolean> {
    const { t } = this.options;
    const consent = !this.hasSpoken && message.text && this.consent.checked ? { marketingConsent: true } : {};
    const mine = message.text ? this.bubble('customer', message.text, new Date().toISOString()) : undefined;
    mine?.classList.add('pending');
    if (mine) this.append(mine);
    const typing = this.bubble('bot', t('typing'), undefined);
    typing.classList.add('typing');
    this.append(typing);
    try {
      await this.client.send({ ...message, ...consent });
      if (message.text) {
        this.hasSpoken = true;
        this.consentRow.hidden = true;
      }
      mine?.remove();
      typing.remove();
      await this.refresh();
      this.listen();
      return true;
    } catch {
      typing.remove();
      if (mine) {
        mine.classList.replace('pending', 'failed');
        const time = mine.querySelector('time');
        if (time) time.textContent = t('notSent');
      }
      return false;
    }
  }

  /** Reads what is new; one read at a time so the cursor never skips. */
  private refresh(): Promise<void> {
    this.reading = this.reading.then(async () => this.render(await this.client.more())).catch(() => undefined);
    return this.reading;
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    void this.client.listen(
      () => void this.refresh(),
      (live) => {
        // Tests (and styles) can tell when the thread is live.
        this.root.dataset.live = String(live);
        this.notice.hidden = live;
        this.notice.textContent = live ? '' : this.options.t('offline');
        if (live) void this.refresh();
      },
    );
  }

  private render(messages: ThreadMessage[]): void {
    for (const message of messages) {
      if (this.seen.has(message.id)) continue;
      this.seen.add(message.id);
      if (this.panel.hidden && message.from !== 'customer') this.unread += 1;
      const item = this.bubble(message.from, message.text, message.at, message.staffName);
      item.dataset.id = message.id;
      if (message.buttons?.length) {
        const row = el('div', { class: 'buttons' });
        for (const button of message.buttons) {
          const press = el('button', { type: 'button' }, button.label);
          press.addEventListener('click', () => void this.send({ text: button.label, action: button.data }));
          row.append(press);
        }
        item.append(row);
      }
      this.append(item);
    }
    if (this.panel.hidden) this.showUnread();
  }

  private bubble(from: ThreadMessage['from'], text: string, at: string | undefined, staffName?: string): HTMLLIElement {
    const item = el('li', { class: `msg ${from}` });
    if (from === 'staff') item.append(el('span', { class: 'who' }, staffName ?? this.options.t('staff')));
    item.append(el('div', { class: 'bubble' }, text));
    if (at) item.append(el('time', { datetime: at }, shortTime(at, this.options.locale)));
    return item;
  }

  private append(item: HTMLLIElement): void {
    // The typing indicator stays last.
    const typing = this.log.querySelector('.typing');
    if (typing && item !== typing) this.log.insertBefore(item, typing);
    else this.log.append(item);
    this.log.scrollTop = this.log.scrollHeight;
  }
}
