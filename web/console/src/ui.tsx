// Small shared pieces: toasts, badges, dialogs, sections, tables, labelled fields, a busy-safe button,
// the loading/error state, a failure's words.
import type { ComponentChildren, JSX } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { type Locale, type Message, msg, useLanguage } from './i18n.ts';

// ── Toasts ─────────────────────────────────────────────────────────────────────────────────────
export interface Toast {
  id: number;
  text: string;
  tone: 'info' | 'warn' | 'error';
  /** A link the toast offers ("open conversation #16"). */
  href?: string;
}

type Notify = (text: string, options?: { tone?: Toast['tone']; href?: string }) => void;
export const ToastContext = createContext<Notify>(() => {});
export const useToast = () => useContext(ToastContext);

const TOAST_MS = 6000;

/**
 * Toasts leave the page when they fade: an element kept at opacity 0 would still sit over the
 * controls beneath it and take their clicks. The region itself never takes clicks.
 */
export function Toasts(props: { children: ComponentChildren }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (text, options = {}) => {
      const id = next.current++;
      setToasts((all) => [
        ...all.slice(-2),
        { id, text, tone: options.tone ?? 'info', ...(options.href ? { href: options.href } : {}) },
      ]);
      setTimeout(() => dismiss(id), TOAST_MS);
    },
    [dismiss],
  );
  const { t } = useLanguage();
  return (
    <ToastContext.Provider value={notify}>
      {props.children}
      <div class="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <div key={toast.id} class={`toast ${toast.tone}`}>
            {toast.href ? (
              <a class="toast-link" href={toast.href}>
                {toast.text}
              </a>
            ) : (
              <span>{toast.text}</span>
            )}
            <button
              type="button"
              class="icon"
              aria-label={t(msg('关闭提示', 'Dismiss'))}
              onClick={() => dismiss(toast.id)}
            >
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

// ── Building blocks ────────────────────────────────────────────────────────────────────────────
export function Badge(props: { tone?: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge ${props.tone ?? ''}`} title={props.title}>
      {props.children}
    </span>
  );
}

export function Section(props: {
  title: string;
  children: ComponentChildren;
  id?: string;
  actions?: ComponentChildren;
}) {
  return (
    <section class="card" id={props.id} aria-label={props.title}>
      <header class="card-head">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="muted empty">{props.children}</p>;
}

/** A column heading; `{ hidden }` is read by screen readers only (over a column of buttons or boxes). */
export type Heading = string | { hidden: string };

/**
 * A table in a wrapper that scrolls sideways on a narrow screen: the caption, a heading per column,
 * then the rows (`children`, the `<tr>`s).
 */
export function Table(props: {
  id?: string;
  caption?: ComponentChildren;
  head: Heading[];
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
      <table id={props.id}>
        {props.caption === undefined ? null : <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.head.map((h) =>
              typeof h === 'string' ? (
                <th key={h}>{h}</th>
              ) : (
                <th key={h.hidden}>
                  <span class="visually-hidden">{h.hidden}</span>
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/**
 * A labelled input (the label around it, `labelClass` on the label): `onValue` gets what is typed;
 * every other attribute goes to the input.
 */
export function Field(
  props: Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'onInput'> & {
    label: ComponentChildren;
    labelClass?: string;
    value: string | number;
    onValue: (value: string) => void;
  },
) {
  const { label, labelClass, onValue, ...input } = props;
  return (
    <label class={labelClass}>
      {label}
      <input {...input} onInput={(e) => onValue(e.currentTarget.value)} />
    </label>
  );
}

/** What a failure says: an Error's message, else the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A labelled on/off box (`label.switch`): `onValue` gets whether it is ticked; other attributes go to the box. */
export function Switch(
  props: Omit<JSX.InputHTMLAttributes<HTMLInputElement>, 'label' | 'type' | 'checked' | 'onChange'> & {
    label: ComponentChildren;
    checked: boolean;
    onValue: (checked: boolean) => void;
  },
) {
  const { label, onValue, ...input } = props;
  return (
    <label class="switch">
      <input type="checkbox" {...input} onChange={(e) => onValue(e.currentTarget.checked)} />
      {label}
    </label>
  );
}

/**
 * A one-line form that adds a text (a tag, a note): the text, trimmed, goes to `add` (nothing when
 * blank); the box empties once that worked, then `onAdded` runs; a failure of either is a toast.
 * The label is for screen readers, the placeholder says it on screen.
 */
export function AddForm(props: {
  class: string;
  label: string;
  placeholder: string;
  inputId: string;
  buttonId: string;
  button: string;
  add: (text: string) => Promise<unknown>;
  onAdded: () => Promise<void>;
}) {
  const toast = useToast();
  const [text, setText] = useState('');
  return (
    <form
      class={props.class}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!text.trim()) return;
        try {
          await props.add(text.trim());
          setText('');
          await props.onAdded();
        } catch (error) {
          toast(errorText(error), { tone: 'error' });
        }
      }}
    >
      <label class="grow">
        <span class="visually-hidden">{props.label}</span>
        <input
          id={props.inputId}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          placeholder={props.placeholder}
        />
      </label>
      <button type="submit" id={props.buttonId}>
        {props.button}
      </button>
    </form>
  );
}

/**
 * A filter over a vocabulary: "any" (the empty value) or one of `values`, shown in `words`. The label
 * is on screen, or for screen readers only with `labelHidden`. `onValue` gets the value, or undefined
 * for "any".
 */
export function EnumFilter<V extends string>(props: {
  label: string;
  labelHidden?: boolean;
  id: string;
  any: string;
  values: readonly V[];
  words: Record<V, Message>;
  value: string | undefined;
  onValue: (value: V | undefined) => void;
}) {
  const { t } = useLanguage();
  return (
    <label>
      {props.labelHidden ? <span class="visually-hidden">{props.label}</span> : props.label}
      <select
        id={props.id}
        value={props.value ?? ''}
        onChange={(e) => {
          const chosen = e.currentTarget.value;
          props.onValue(props.values.find((v) => v === chosen));
        }}
      >
        <option value="">{props.any}</option>
        {props.values.map((v) => (
          <option key={v} value={v}>
            {t(props.words[v])}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The console's language picker (the header and the login page). */
export function LanguageSelect(props: { id: string; locale: Locale; setLocale: (locale: Locale) => Promise<void> }) {
  const { t } = useLanguage();
  return (
    <label class="lang">
      <span class="visually-hidden">{t(msg('语言', 'Language'))}</span>
      <select
        id={props.id}
        value={props.locale}
        onChange={(e) => void props.setLocale(e.currentTarget.value === 'en' ? 'en' : 'zh-CN')}
      >
        <option value="zh-CN">中文</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

/** A record's 编辑 (Edit) button, in a table row or a list item. */
export function EditButton(props: { onEdit: () => void }) {
  const { t } = useLanguage();
  return (
    <button type="button" class="edit" onClick={props.onEdit}>
      {t(msg('编辑', 'Edit'))}
    </button>
  );
}

/** A button that runs an async action once at a time and reports failures as a toast. */
export function ActionButton(
  props: Omit<JSX.ButtonHTMLAttributes<HTMLButtonElement>, 'onClick'> & { run: () => Promise<unknown> },
) {
  const { run, children, ...rest } = props;
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  return (
    <button
      type="button"
      {...rest}
      disabled={busy || Boolean(rest.disabled)}
      onClick={async () => {
        setBusy(true);
        try {
          await run();
        } catch (error) {
          toast(errorText(error), { tone: 'error' });
        } finally {
          setBusy(false);
        }
      }}
    >
      {children}
    </button>
  );
}

/** A native modal dialog (focus trap, Escape and the backdrop come from the browser). */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-label={props.title} onClose={props.onClose} class="dialog">
      {props.open ? (
        <>
          <h2>{props.title}</h2>
          {props.children}
        </>
      ) : null}
    </dialog>
  );
}

/** Loads data for a page; `reload` refetches; errors become a visible message, not a blank page. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): {
  data: T | null;
  error: string | null;
  reload: () => Promise<void>;
} {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const value = await load();
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

export function Loading(props: { error: string | null }) {
  const { t } = useLanguage();
  return props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : (
    <p class="muted">{t(msg('加载中…', 'Loading…'))}</p>
  );
}
