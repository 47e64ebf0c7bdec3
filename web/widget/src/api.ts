// The widget's side of the webchat API (ARCHITECTURE.md §10 "Webchat"): who the visitor is (a
// visitorId and a secret kept in this page's localStorage, no cookies), sending, reading the thread
// and the live stream (a single-use ticket, since EventSource cannot send headers). Photos go up
// with the secret header and come back as blob URLs: the secret is never in a URL.
// Only types come from the server's code (erased when bundled): the widget bundle stays dependency-free.
import type { WebchatSettings } from '../../../src/domain/webchat-settings-input.ts';

export interface Button {
  label: string;
  data: string;
}

export interface PhotoRef {
  id: string;
  kind: string;
  name?: string;
}

export interface ThreadMessage {
  id: string;
  from: 'customer' | 'bot' | 'staff' | 'system';
  text: string;
  buttons?: Button[];
  attachments?: PhotoRef[];
  staffName?: string;
  at: string;
}

/** The stream's `typing` event: the staff member answering started or stopped typing. */
export interface StaffTypingSignal {
  typing: boolean;
  staffName: string;
}

/** A `typing` event's data, if it is one. */
export function parseStaffTyping(data: string): StaffTypingSignal | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.typing !== 'boolean') return undefined;
  return { typing: value.typing, staffName: typeof value.staffName === 'string' ? value.staffName : '' };
}

/** The image types the server accepts (ARCHITECTURE.md §10 "Webchat", upload). */
export const photoTypes: readonly string[] = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

/** A refused request: the HTTP status and the server's error code, so the widget can say what went wrong. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

/** The shop's look and pre-chat form; `uploadMaxBytes` is 0 when the server did not say. */
export type Settings = WebchatSettings;

/** The shop's signed identity of its logged-in customer (docs/channels.md "Signed identity"). */
export interface ShopIdentity {
  externalId: string;
  name?: string;
  phone?: string;
  hash: string;
}

/** `data-identity` of the script tag (JSON), if it is a well-formed identity. */
export function parseIdentity(json: string | undefined): ShopIdentity | undefined {
  if (!json) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.externalId !== 'string' || typeof value.hash !== 'string') return undefined;
  return {
    externalId: value.externalId,
    hash: value.hash,
    ...(typeof value.name === 'string' && value.name ? { name: value.name } : {}),
    ...(typeof value.phone === 'string' && value.phone ? { phone: value.phone } : {}),
  };
}

export interface OutgoingMessage {
  text?: string;
  action?: string;
  attachments?: string[];
  profile?: { name?: string; phone?: string };
  marketingConsent?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const senders: readonly string[] = ['customer', 'bot', 'staff', 'system'];

function isButton(value: unknown): value is Button {
  return isRecord(value) && typeof value.label === 'string' && typeof value.data === 'string';
}

function isPhotoRef(value: unknown): value is PhotoRef {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.kind === 'string' &&
    (value.name === undefined || typeof value.name === 'string')
  );
}

function isThreadMessage(value: unknown): value is ThreadMessage {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.text === 'string' &&
    typeof value.at === 'string' &&
    typeof value.from === 'string' &&
    senders.includes(value.from) &&
    (value.buttons === undefined || (Array.isArray(value.buttons) && value.buttons.every(isButton))) &&
    (value.attachments === undefined || (Array.isArray(value.attachments) && value.attachments.every(isPhotoRef))) &&
    (value.staffName === undefined || typeof value.staffName === 'string')
  );
}

function randomId(bytes: number): string {
  const data = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface Visitor {
  visitorId: string;
  secret: string;
  /** The signed shop identity (externalId) this visitor was linked to, once the server took it. */
  linked?: string;
}

/** The visitor's identity for one server, kept in the embedding page's localStorage. */
function visitor(server: string): Visitor & { known: boolean } {
  const key = `guanxi:${server}`;
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (isRecord(saved) && typeof saved.visitorId === 'string' && typeof saved.secret === 'string') {
      return {
        visitorId: saved.visitorId,
        secret: saved.secret,
        ...(typeof saved.linked === 'string' ? { linked: saved.linked } : {}),
        known: true,
      };
    }
  } catch {
    // Unreadable or blocked storage: a new visitor (the thread then lasts as long as the page).
  }
  const fresh = { visitorId: `web-${randomId(8)}`, secret: randomId(24) };
  try {
    localStorage.setItem(key, JSON.stringify(fresh));
  } catch {
    // Storage refused (private mode): keep going without persistence.
  }
  return { ...fresh, known: false };
}

export class WebchatClient {
  readonly visitorId: string;
  /** This browser has been here before (the thread may have something in it). */
  readonly known: boolean;
  private readonly secret: string;
  private linked: string | undefined;
  private cursor: string | undefined;
  private stream: EventSource | undefined;

  /**
   * `locale`: the widget's language, sent as Accept-Language so a new visitor is answered in it.
   * `identity`: the shop's signed identity of its logged-in customer, sent until the server links it.
   */
  constructor(
    private readonly server: string,
    private readonly locale: string,
    private identity?: ShopIdentity,
  ) {
    const who = visitor(server);
    this.visitorId = who.visitorId;
    this.secret = who.secret;
    this.linked = who.linked;
    this.known = who.known;
  }

  /** Remembers that the server linked this visitor to the shop identity (sent once, not with every message). */
  private markLinked(externalId: string): void {
    this.linked = externalId;
    try {
      const key = `guanxi:${this.server}`;
      const saved: Visitor = { visitorId: this.visitorId, secret: this.secret, linked: externalId };
      localStorage.setItem(key, JSON.stringify(saved));
    } catch {
      // Storage refused: the identity is sent again next time (the server takes it again).
    }
  }

  private url(path: string): string {
    return `${this.server}/api/webchat${path}`;
  }

  private async json(response: Response): Promise<Record<string, unknown>> {
    const body: unknown = await response.json().catch(() => null);
    const record = isRecord(body) ? body : {};
    if (!response.ok) {
      const code = isRecord(record.error) && typeof record.error.code === 'string' ? record.error.code : '';
      throw new ApiError(response.status, code);
    }
    return record;
  }

  async settings(): Promise<Settings> {
    const body = await this.json(await fetch(this.url('/settings')));
    const preChat = isRecord(body.preChat) ? body.preChat : {};
    return {
      title: typeof body.title === 'string' ? body.title : '',
      logoUrl: typeof body.logoUrl === 'string' ? body.logoUrl : null,
      color: typeof body.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(body.color) ? body.color : '#c8102e',
      locale: body.locale === 'en' ? 'en' : 'zh-CN',
      preChat: { name: preChat.name === true, phone: preChat.phone === true },
      uploadMaxBytes: typeof body.uploadMaxBytes === 'number' ? body.uploadMaxBytes : 0,
    };
  }

  /** Uploads a photo (multipart, with the secret header); its id goes into the next message. */
  async upload(file: File): Promise<string> {
    const form = new FormData();
    form.append('file', file, file.name);
    const response = await fetch(this.url(`/${encodeURIComponent(this.visitorId)}/attachments`), {
      method: 'POST',
      headers: { 'x-visitor-secret': this.secret },
      body: form,
    });
    const { id } = await this.json(response);
    if (typeof id !== 'string') throw new ApiError(response.status, 'no_id');
    return id;
  }

  /** A photo of this visitor's thread as a blob URL (read with the secret header, never with it in a URL). */
  async photo(id: string): Promise<string> {
    const response = await fetch(
      this.url(`/${encodeURIComponent(this.visitorId)}/attachments/${encodeURIComponent(id)}`),
      { headers: { 'x-visitor-secret': this.secret } },
    );
    if (!response.ok) throw new ApiError(response.status, '');
    return URL.createObjectURL(await response.blob());
  }

  /** Messages after the last one read (all of them the first time), oldest first. */
  async more(): Promise<ThreadMessage[]> {
    const after = this.cursor ? `?after=${encodeURIComponent(this.cursor)}` : '';
    const response = await fetch(this.url(`/${encodeURIComponent(this.visitorId)}/messages${after}`), {
      headers: { 'x-visitor-secret': this.secret },
    });
    const thread = await this.json(response);
    if (typeof thread.cursor === 'string') this.cursor = thread.cursor;
    return Array.isArray(thread.messages) ? thread.messages.filter(isThreadMessage) : [];
  }

  async send(message: OutgoingMessage): Promise<void> {
    const identity = this.identity && this.identity.externalId !== this.linked ? this.identity : undefined;
    const messageId = randomId(16);
    const post = (withIdentity: boolean) =>
      fetch(this.url('/messages'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'accept-language': this.locale,
          'x-visitor-secret': this.secret,
        },
        body: JSON.stringify({
          visitorId: this.visitorId,
          messageId,
          ...message,
          ...(withIdentity && identity ? { identity } : {}),
        }),
      });
    try {
      await this.json(await post(true));
      if (identity) this.markLinked(identity.externalId);
    } catch (error) {
      if (!(identity && error instanceof ApiError && error.status === 401)) throw error;
      // The shop's hash was refused (nothing was written): chat on as an anonymous visitor.
      console.warn('guanxi webchat: the signed identity was refused (check WEBCHAT_IDENTITY_SECRET and the hash)');
      this.identity = undefined;
      await this.json(await post(false));
    }
  }

  /**
   * Calls `onEvent` whenever something new is delivered and `onTyping` when staff start or stop
   * typing; reconnects with a fresh ticket when dropped.
   */
  async listen(
    onEvent: () => void,
    onState: (live: boolean) => void,
    onTyping: (signal: StaffTypingSignal) => void = () => {},
  ): Promise<void> {
    this.stream?.close();
    try {
      const response = await fetch(this.url(`/${encodeURIComponent(this.visitorId)}/stream-ticket`), {
        method: 'POST',
        headers: { 'x-visitor-secret': this.secret },
      });
      const { ticket } = await this.json(response);
      if (typeof ticket !== 'string') throw new Error('no ticket');
      const after = this.cursor ? `&after=${encodeURIComponent(this.cursor)}` : '';
      const stream = new EventSource(
        this.url(`/${encodeURIComponent(this.visitorId)}/stream?ticket=${ticket}${after}`),
      );
      this.stream = stream;
      stream.onopen = () => onState(true);
      stream.onmessage = () => onEvent();
      stream.addEventListener('typing', (event) => {
        const signal = event instanceof MessageEvent ? parseStaffTyping(String(event.data)) : undefined;
        if (signal) onTyping(signal);
      });
      stream.onerror = () => {
        // A ticket works once: start over with a new one rather than letting EventSource retry it.
        stream.close();
        onState(false);
        setTimeout(() => void this.listen(onEvent, onState, onTyping), 3000);
      };
    } catch {
      onState(false);
      setTimeout(() => void this.listen(onEvent, onState, onTyping), 5000);
    }
  }
}
