// The chat panel: restores the visitor's thread, greets a first-time visitor (no fake message from
// them), sends what they type or press, shows times, staff names and a typing indicator, and keeps
// up live through the stream. Runs as a launcher + panel on any page, or full page at `/`. The photo
// button sends a picture (checked for type and size here, then uploaded); photos in the thread are
// read back with the visitor's secret and shown from blob URLs.
import {
  ApiError,
  type OutgoingMessage,
  type PhotoRef,
  photoTypes,
  type Settings,
  type ThreadMessage,
  type WebchatClient,
} from './api.ts';
import { el, shortTime } from './dom.ts';
import type { Locale, Translate } from './i18n.ts';
import { StaffTyping } from './staff-typing.ts';

export interface WidgetOptions {
  /** `page`: the panel fills the page and is always open; `bubble`: a launcher opens it. */
  mode: 'page' | 'bubble';
  position: 'right' | 'left';
  locale: Locale;
  t: Translate;
  /** Open the panel at once (bubble mode). */
  open: boolean;
}

const photoIcon =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M9 4 7.2 6H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V8a2 2 0 0 0-2-2h-3.2L15 4H9zm3 5a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"/></svg>';

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
  private readonly photoButton = el('button', { type: 'button', id: 'gx-photo', class: 'photo-button' });
  private readonly fileInput = el('input', { type: 'file', id: 'gx-file', accept: photoTypes.join(','), hidden: true });
  /** What went wrong with the last thing the visitor tried (a photo too large, say), in words. */
  private readonly error = el('div', { class: 'error', role: 'alert', hidden: true });
  /** Blob URLs of the thread's photos by attachment id, each read once. */
  private readonly photos = new Map<string, Promise<string>>();
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
  /** "客服小美正在输入…" while the staff member answering types. */
  private readonly staffTyping: StaffTyping;

  constructor(
    private readonly shadow: ShadowRoot,
    private readonly client: WebchatClient,
    private readonly options: WidgetOptions,
  ) {
    this.staffTyping = new StaffTyping(options.t, (item) => this.append(item));
  }

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
    this.photoButton.innerHTML = photoIcon;
    this.photoButton.setAttribute('aria-label', t('photo'));
    this.photoButton.title = t('photo');
    this.fileInput.setAttribute('aria-label', t('photo'));
    this.photoButton.addEventListener('click', () => this.fileInput.click());
    this.fileInput.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) void this.sendPhoto(file);
    });
    this.composer.append(this.photoButton, this.fileInput, this.input, this.sendButton);
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
    this.panel.append(header, this.log, this.notice, this.error, this.composer, this.consentRow);
    this.root.append(...(mode === 'bubble' ? [this.launcher] : []), this.panel);
    this.shadow.append(this.root);

    this.settings = await this.client.settings();
    this.title.textContent = this.settings.title || t('online');
    if (mode === 'page') {
      // The full page is the widget's own: its language and title follow the visitor, too.
      document.documentElement.lang = this.options.locale;
      document.title = this.settings.title ? `${this.settings.title} · ${t('online')}` : t('online');
    }
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
    if (open) {
      this.input.focus();
      // What arrived while the panel was closed was laid out in a hidden panel: show the latest.
      this.scrollDown();
    }
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

  private showError(text: string | undefined): void {
    this.error.hidden = text === undefined;
    this.error.textContent = text ?? '';
  }

  /**
   * Sends a photo: refused here when it is not an accepted image or too large (the server's own
   * refusal is put in words too), else uploaded and sent as a message of its own.
   */
  private async sendPhoto(file: File): Promise<void> {
    const { t } = this.options;
    const max = this.settings?.uploadMaxBytes ?? 0;
    const tooLarge = t('photoTooLarge').replace('{mb}', String(Math.round((max / 1024 / 1024) * 10) / 10));
    if (!photoTypes.includes(file.type)) return this.showError(t('photoType'));
    if (max > 0 && file.size > max) return this.showError(tooLarge);
    this.showError(undefined);
    const local = URL.createObjectURL(file);
    const mine = this.bubble('customer', '', new Date().toISOString());
    mine.querySelector('.bubble')?.append(this.photo(Promise.resolve(local), t('photoMine')));
    mine.classList.add('pending');
    this.append(mine);
    try {
      const id = await this.client.upload(file);
      // The thread shows this photo again: reuse the file already in the page.
      this.photos.set(id, Promise.resolve(local));
      await this.send({ attachments: [id] }, mine);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      this.showError(status === 413 ? tooLarge : status === 400 ? t('photoType') : t('notSent'));
      // A refused file is not a message at all (the words say why); anything else may be sent again.
      if (status === 400 || status === 413) {
        mine.remove();
        URL.revokeObjectURL(local);
      } else this.failed(mine);
    }
  }

  private failed(mine: HTMLLIElement): void {
    mine.classList.replace('pending', 'failed');
    const time = mine.querySelector('time');
    if (time) time.textContent = this.options.t('notSent');
  }

  /**
   * Sends a message (or opens the chat with an action); true when the server took it. `shown` is
   * the visitor's bubble already on screen (a photo), else one is made for text.
   */
  private async send(message: OutgoingMessage, shown?: HTMLLIElement): Promise<boolean> {
    const { t } = this.options;
    const says = Boolean(message.text || message.attachments?.length);
    const consent = !this.hasSpoken && says && this.consent.checked ? { marketingConsent: true } : {};
    const mine = shown ?? (message.text ? this.bubble('customer', message.text, new Date().toISOString()) : undefined);
    if (mine && !shown) {
      mine.classList.add('pending');
      this.append(mine);
    }
    const typing = this.bubble('bot', t('typing'), undefined);
    typing.classList.add('typing');
    this.append(typing);
    try {
      await this.client.send({ ...message, ...consent });
      if (message.text) this.showError(undefined);
      if (says) {
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
      if (mine) this.failed(mine);
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
      (signal) => this.staffTyping.signal(signal),
    );
  }

  private render(messages: ThreadMessage[]): void {
    for (const message of messages) {
      if (this.seen.has(message.id)) continue;
      this.seen.add(message.id);
      // Their reply (or the notice that the chat with them ended) is what they were typing.
      if (message.from !== 'customer') this.staffTyping.hide();
      if (this.panel.hidden && message.from !== 'customer') this.unread += 1;
      const item = this.bubble(message.from, message.text, message.at, message.staffName);
      const photos = (message.attachments ?? []).filter((a) => a.kind === 'image');
      if (photos.length) item.querySelector('.bubble')?.append(...this.photosOf(message.from, photos));
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

  private photosOf(from: ThreadMessage['from'], refs: PhotoRef[]): HTMLElement[] {
    const { t } = this.options;
    return refs.map((ref) => {
      let url = this.photos.get(ref.id);
      if (!url) {
        url = this.client.photo(ref.id);
        this.photos.set(ref.id, url);
      }
      return this.photo(url, from === 'customer' ? t('photoMine') : t('photoTheirs'));
    });
  }

  /** A photo that shows once its blob URL is ready (a link opens it full size), or says it cannot be shown. */
  private photo(url: Promise<string>, alt: string): HTMLElement {
    const image = el('img', { class: 'photo', alt });
    const frame = el('a', { class: 'photo-frame', target: '_blank', rel: 'noopener' }, image);
    const missing = () => frame.replaceChildren(el('span', { class: 'photo-missing' }, this.options.t('photoMissing')));
    url.then((src) => {
      image.addEventListener('load', () => this.scrollDown(), { once: true });
      image.addEventListener('error', missing, { once: true });
      image.src = src;
      frame.href = src;
    }, missing);
    return frame;
  }

  private scrollDown(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private bubble(from: ThreadMessage['from'], text: string, at: string | undefined, staffName?: string): HTMLLIElement {
    const item = el('li', { class: `msg ${from}` });
    if (from === 'staff') item.append(el('span', { class: 'who' }, staffName ?? this.options.t('staff')));
    item.append(el('div', { class: 'bubble' }, ...(text ? [text] : [])));
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
