// widget.js: `<script src="https://shop.example/widget.js" data-...></script>` puts the shop's chat
// on any page. Options (all optional): data-mode="page" (full page, as at `/`), data-locale="en",
// data-position="left", data-open="true", data-identity='{"externalId":…,"hash":…}' (the shop's
// signed identity of its logged-in customer, rendered by the shop's server). The server is where the
// script came from.
import { parseIdentity, WebchatClient } from './api.ts';
import { pickLocale, translator } from './i18n.ts';
import { styles } from './styles.ts';
import { Widget } from './widget.ts';

function boot(script: HTMLScriptElement): void {
  const server = new URL(script.src, location.href).origin;
  const data = script.dataset;
  const locale = pickLocale(data.locale, navigator.languages);
  const host = document.createElement('div');
  host.id = 'guanxi-webchat';
  (data.mode === 'page' ? (document.querySelector('main') ?? document.body) : document.body).append(host);
  const shadow = host.attachShadow({ mode: 'open' });
  if ('adoptedStyleSheets' in Document.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(styles);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    const style = document.createElement('style');
    style.textContent = styles;
    shadow.append(style);
  }
  const widget = new Widget(shadow, new WebchatClient(server, locale, parseIdentity(data.identity)), {
    mode: data.mode === 'page' ? 'page' : 'bubble',
    position: data.position === 'left' ? 'left' : 'right',
    locale,
    t: translator(locale),
    open: data.open === 'true',
  });
  void widget.mount();
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement) {
  if (document.body) boot(script);
  else document.addEventListener('DOMContentLoaded', () => boot(script), { once: true });
}
