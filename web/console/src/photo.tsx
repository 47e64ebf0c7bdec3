// A photo in a chat (a customer's upload or Telegram/WeChat photo, or one staff sent): fetched with the staff session
// header, never with a credential in the URL, and shown from a blob URL.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { msg, useLanguage } from './i18n.ts';

/** A photo in a chat, fetched with the session header (no credential in the URL) and shown inline. */
export function Photo(props: { id: string }) {
  const { t } = useLanguage();
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current: string | null = null;
    api
      .objectUrl(`/api/attachments/${encodeURIComponent(props.id)}`)
      .then((u) => {
        current = u;
        setUrl(u);
      })
      .catch(() => setFailed(true));
    return () => {
      if (current) URL.revokeObjectURL(current);
    };
  }, [props.id]);
  if (failed) return <span class="muted">{t(msg('图片无法加载', 'The image could not be loaded'))}</span>;
  if (!url) return <span class="muted">{t(msg('图片加载中…', 'Loading image…'))}</span>;
  return (
    <a href={url} target="_blank" rel="noreferrer">
      <img class="photo" src={url} alt={t(msg('聊天中的图片', 'Photo in the chat'))} />
    </a>
  );
}

/** The photos on a message (the customer's or staff's), side by side. */
export function Photos(props: { ids: string[] }) {
  if (!props.ids.length) return null;
  return (
    <div class="attachments">
      {props.ids.map((id) => (
        <Photo key={id} id={id} />
      ))}
    </div>
  );
}
