// The widget's own words (the chrome around the messages), in the visitor's language: Simplified
// Chinese by default, English complete. Messages themselves come from the server in the customer's language.
export type Locale = 'zh-CN' | 'en';

const words = {
  open: { 'zh-CN': '打开在线客服', en: 'Open chat' },
  close: { 'zh-CN': '关闭', en: 'Close' },
  unread: { 'zh-CN': '条新消息', en: 'new' },
  online: { 'zh-CN': '在线客服', en: 'Customer service' },
  placeholder: { 'zh-CN': '输入消息…', en: 'Type a message…' },
  message: { 'zh-CN': '消息', en: 'Message' },
  send: { 'zh-CN': '发送', en: 'Send' },
  typing: { 'zh-CN': '正在输入…', en: 'Typing…' },
  staffTyping: { 'zh-CN': '客服{name}正在输入…', en: '{name} is typing…' },
  staffTypingUnnamed: { 'zh-CN': '客服正在输入…', en: 'Staff is typing…' },
  staff: { 'zh-CN': '客服', en: 'Staff' },
  notSent: { 'zh-CN': '发送失败，请重试', en: 'Not sent, please try again' },
  offline: { 'zh-CN': '连接中断，正在重连…', en: 'Connection lost, reconnecting…' },
  thread: { 'zh-CN': '聊天记录', en: 'Conversation' },
  start: { 'zh-CN': '开始咨询', en: 'Start chat' },
  intro: { 'zh-CN': '请留下你的联系方式，方便客服联系你。', en: 'Leave your details so our staff can reach you.' },
  name: { 'zh-CN': '称呼', en: 'Name' },
  phone: { 'zh-CN': '手机号', en: 'Phone' },
  photo: { 'zh-CN': '发送图片', en: 'Send a photo' },
  photoMine: { 'zh-CN': '我发送的图片', en: 'Photo you sent' },
  photoTheirs: { 'zh-CN': '客服发送的图片', en: 'Photo from the shop' },
  photoMissing: { 'zh-CN': '图片无法显示', en: 'The photo cannot be shown' },
  photoType: { 'zh-CN': '只能发送 JPG、PNG、WebP 或 GIF 图片', en: 'Send a JPG, PNG, WebP or GIF image' },
  photoTooLarge: { 'zh-CN': '图片太大，最大 {mb} MB', en: 'The photo is too large (at most {mb} MB)' },
  consent: {
    'zh-CN': '我愿意接收优惠和活动消息（可随时发送"退订"取消）',
    en: 'Send me offers and news (reply "stop" any time)',
  },
} as const;

export type Word = keyof typeof words;
export type Translate = (word: Word) => string;

/** The widget's language: `data-locale` if given, else the browser's (zh unless it prefers English). */
export function pickLocale(requested: string | undefined, languages: readonly string[]): Locale {
  const wanted = requested ?? languages[0] ?? 'zh-CN';
  return wanted.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function translator(locale: Locale): Translate {
  return (word) => words[word][locale];
}
