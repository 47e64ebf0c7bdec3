// A photo staff attach to a reply: chosen with a labelled button beside Send, checked (type and
// UPLOAD_MAX_MB, the widget's limits) before anything is uploaded, previewed before sending. The
// reply box uploads it when Send is pressed and names it in the reply.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.ts';
import { msg, useLanguage } from './i18n.ts';

/** The types the server accepts (it checks the bytes again). */
const photoTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];
/** UPLOAD_MAX_MB's default, until the settings have loaded. */
const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

const text = {
  add: msg('添加图片', 'Add photo'),
  remove: msg('移除图片', 'Remove photo'),
  preview: msg('将发送的图片', 'Photo to send'),
  wrongType: msg('只能发送 JPEG、PNG、WebP 或 GIF 图片', 'Only JPEG, PNG, WebP or GIF photos can be sent'),
  tooLarge: msg('图片太大，最大 {mb} MB', 'The photo is too large: at most {mb} MB'),
};

/** The largest photo the server takes (UPLOAD_MAX_MB, from the webchat settings everyone may read). */
function useMaxBytes(): number {
  const [max, setMax] = useState(DEFAULT_MAX_BYTES);
  useEffect(() => {
    api
      .webchatSettings()
      .then((settings) => {
        if (settings.uploadMaxBytes) setMax(settings.uploadMaxBytes);
      })
      .catch(() => undefined);
  }, []);
  return max;
}

/** The button that picks a photo; `onError` gets the reason in words when the file cannot be sent. */
export function PhotoButton(props: {
  disabled: boolean;
  onPick: (photo: File) => void;
  onError: (message: string) => void;
}) {
  const { t } = useLanguage();
  const input = useRef<HTMLInputElement>(null);
  const maxBytes = useMaxBytes();
  function picked(file: File | undefined) {
    if (input.current) input.current.value = '';
    if (!file) return;
    if (!photoTypes.includes(file.type)) return props.onError(t(text.wrongType));
    if (file.size > maxBytes) {
      return props.onError(t(text.tooLarge, { mb: String(Math.round((maxBytes / 1024 / 1024) * 100) / 100) }));
    }
    props.onPick(file);
  }
  return (
    <>
      <input
        ref={input}
        id="reply-photo-input"
        type="file"
        accept={photoTypes.join(',')}
        // Not shown: the labelled button below opens it.
        hidden
        onChange={(e) => picked(e.currentTarget.files?.[0])}
      />
      <button
        type="button"
        id="reply-photo"
        class="reply-photo"
        disabled={props.disabled}
        onClick={() => input.current?.click()}
      >
        📷 {t(text.add)}
      </button>
    </>
  );
}

/** The chosen photo as it will be sent, with a way to take it back. */
export function PhotoPreview(props: { photo: File; onRemove: () => void }) {
  const { t } = useLanguage();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(props.photo);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [props.photo]);
  return (
    <div class="reply-photo-preview" id="reply-photo-preview">
      {url ? <img src={url} alt={t(text.preview)} /> : null}
      <span class="muted">{props.photo.name}</span>
      <button type="button" id="reply-photo-remove" onClick={props.onRemove}>
        {t(text.remove)}
      </button>
    </div>
  );
}
