// The maintained phrase sets, in one place: asking for a person, complaints (by severity), switching
// language, and the escape words that leave any flow. Flows and the router read them from here; add a
// phrase here and every place that needs it understands it (test/unit/phrases.test.ts keeps the
// everyday forms covered). Written from how customers actually type in chats, including the
// indirect forms ("客服在吗", "有真人吗", "can I talk to a human", "你们太坑了").

/**
 * A time in the question makes it one about the service hours ("晚上十点还有人工吗", "is anyone there
 * on weekends"), which the shop's FAQ answers; "现在有人工吗" still asks for a person now.
 */
const hoursQuestion =
  '几点|(?<![快慢好早晚大小多少有])[0-9一二三四五六七八九十两]+点|晚上|早上|凌晨|半夜|周末|节假日|过年|上班时间|工作时间|\\bwhat time\\b|\\bat night\\b|\\bweekends?\\b|\\b(open|opening|service) hours\\b';

/** A hand-off pattern that does not fire on a question about the service hours. */
function unlessHours(pattern: RegExp): RegExp {
  return new RegExp(`^(?![\\s\\S]*(?:${hoursQuestion}))[\\s\\S]*?(?:${pattern.source})`, pattern.flags);
}

/**
 * The patterns joined into one per flag set: `anyOf(list).some((p) => p.test(text))` is
 * `list.some((p) => p.test(text))` in one regex run instead of one per pattern (the router tests a
 * flow's patterns on every message it reaches). Only for `test` (no capture groups are relied on);
 * stateful patterns (g, y) stay as they are.
 */
export function anyOf(patterns: RegExp[]): RegExp[] {
  const joined = new Map<string, string[]>();
  const stateful: RegExp[] = [];
  for (const pattern of patterns) {
    if (pattern.global || pattern.sticky) stateful.push(pattern);
    else joined.set(pattern.flags, [...(joined.get(pattern.flags) ?? []), `(?:${pattern.source})`]);
  }
  return [...[...joined].map(([flags, sources]) => new RegExp(sources.join('|'), flags)), ...stateful];
}

/** Someone asking for a person: matched anywhere in the message (one regex per flag set, see `anyOf`). */
export const handoffPatterns: RegExp[] = anyOf([
  /人工(?!费|合成|智能)/,
  /(找|叫|联系|要|转|接通?|呼叫|换)(个|一下|下|你们|你们的)?的?(真人)?客服/,
  /(跟|和|同)(你们的?)?(真人|人工|客服)(说|聊|谈|沟通|讲)/,
  /客服(在吗|在不在|在嘛|在么|呢|人呢|在线|电话)/,
  /^客服[客服\s]*[?？!！。.]*$/,
  /有(没有)?(真人|活人|人工|客服)(在线)?(吗|么|嘛|不|没|在吗)?/,
  /^(有人|在吗有人|人呢)(在)?(吗|么|嘛|不)?[?？!！。.\s]*$/,
  // "在吗在吗 有人没": asking whether anyone is there, at the end of a short message.
  /(^|[\s，,。!！?？])(有人|有没有人)(在)?(吗|么|嘛|不|没|没有)?(在)?[?？!！。.\s]*$/,
  /找(个|一个|一下)?(人|真人)(来)?(跟我|和我|帮我|说|聊|问|处理)/,
  /真人|活人/,
  /(不要|别|不想)(用|跟|和)?机器人/,
  /机器人.{0,6}(听不懂|不行|没用|不懂)/,
  /换(个|一个)?人(来|回复|跟我)/,
  /(打电话|电话).{0,6}客服|客服.{0,4}电话/,
  /\b(human|humans)\b/i,
  /\b(real|live|actual) (person|human|agent|people)\b/i,
  /\b(talk|speak|chat)\s+(to|with)\s+(a |an |the |some |your )?(human|person|agent|someone|somebody|staff|representative|rep|customer service|support|manager)/i,
  /\b(get|connect|transfer|put)\s+me\s+(through\s+)?(to\s+)?(an?\s+|the\s+|your\s+)?(agent|human|person|support|staff|someone|customer service|operator|representative)/i,
  /\b(contact|reach|call|get|need)\b.{0,15}\bcustomer (service|support)\b/i,
  /\b(anyone|anybody|someone|somebody)\s+(there|here|around|available|online)\b/i,
  /\b(anyone|anybody|someone|somebody)\b.{0,20}\b(speak|talk|help me)\b/i,
  /\bsomeone from (the |your )?(shop|store|team)\b/i,
  /^(operator|agent|staff)[.!?\s]*$/i,
  /\bare you a (bot|robot)\b/i,
]).map(unlessHours);

export type ComplaintSeverity = 1 | 2 | 3;

/**
 * Complaint phrases by severity: 3 = threatens authorities or calls it fraud, 2 = an explicit
 * complaint or refund demand, 1 = clear anger or disappointment without a concrete demand.
 */
export const complaintPhrases: Record<ComplaintSeverity, RegExp[]> = {
  3: [
    /12315/,
    /消协|消费者协会|工商局|市场监管/,
    /骗子|诈骗|欺诈|骗钱|黑店|被骗/,
    /律师|起诉|报警|曝光/,
    /\b(scam|scammers?|fraud|lawyer|sue)\b/i,
    /\brip(ping|ped)?[- ]?(people |me |us )?off\b/i,
  ],
  2: [
    /投诉/,
    /差评/,
    /退钱|退款.*(不|没).*(到|给|退)|还我钱/,
    /\b(complain|complaint|refund me)\b/i,
    /\b(i want|give me|demand|i need) (my )?money back\b/i,
  ],
  1: [
    /垃圾|太差|气死|什么破|坑人|太坑|坑爹|好坑|无语|恶心|离谱|失望|烂透|太烂|真服了|服了你们|受不了|货不对板/,
    /再也不(会)?.{0,8}买/,
    /(这样|这么)做生意/,
    /什么服务态度|这是什么服务|服务(太|真|好)差|态度(太|真|好|很)?差/,
    /(跟|和|与)(图片|描述|照片|图|详情页?|视频|宣传).{0,6}(不一样|不符|差(太多|很多|好多|别)|两样|不像)/,
    /图文不符|色差(太|很|好)?大|一次比一次差|越来越差|越做越差|大不如前|不如以前/,
    /(发消息|留言|问了)?.{0,4}(都|也)?没人(回|理|管)|不回(消息|复)|没人回复/,
    /[!！]{3,}/,
    /\b(terrible|awful|worst|unacceptable|ridiculous|disgusting|disappointed|disappointing|pathetic|useless)\b/i,
    /\bnever (buying|buy|order|ordering|shopping)\b/i,
    /\bfell apart\b/i,
    /\b(this is a joke|what a joke)\b/i,
    /\b(nobody|no one|no-one)\s+(ever\s+)?(replies|answers|responds|replied|answered|responded|gets back)\b/i,
  ],
};

/** Checking in, however it is put ("签到", "今天签个到", "daily check-in"): the whole message. */
export const checkInPattern =
  /^\/?(今天|我要|我来|帮我)?(签(个|一下|下)?到|打(个|一下|下)?卡)(一下)?(啦|了|吧|咯)?[!！~～。.\s]*$|^\/?(daily\s+)?check[\s-]?in(\s+(please|pls|now|today))?[!.\s]*$/i;

/** Asking about one's own points ("积分怎么算" is the shop's FAQ, not this). */
export const loyaltyPatterns: RegExp[] = [
  /我的积分|多少积分|积分(还)?(有|剩)?多少|积分余额|查(一下|下)?(我的)?积分|积分明细|积分记录|积分变动|积分.{0,4}(换|兑换)(什么|啥)|兑换礼品/,
  /\b(my|how many) points\b|\bpoints (history|balance)\b|\bredeem\b.{0,20}\bpoints\b/i,
  // "do I have any points left?": one's own balance, however it is put.
  /\b(do i have|have i got|i have|i've got|i got)\b.{0,12}\bpoints?\b|\bpoints?\b.{0,8}\b(left|remaining)\b/i,
  // Using one's points: "积分能抵钱吗", "积分可以抵扣吗".
  /积分.{0,4}(抵钱|抵扣|抵现|当钱|抵用)/,
  checkInPattern,
];

/** Asking for the points history in particular. */
export const pointsHistoryPattern = /积分明细|积分记录|积分变动|\bpoints (history|activity)\b/i;

/** Asking to switch the language (the explicit choice: it wins over consistent use). */
export const languagePatterns: RegExp[] = [
  /^(说|讲|用|切换(到|成)?|改成?|换成?)?(中文|汉语|普通话|英文|英语)(回复|交流|吧|版)?[\s!！。.]*$/,
  /^(english|chinese)(\s+(please|pls|plz))?[\s!.]*$/i,
  /\b(speak|use|switch to|reply in|answer in|talk in|write in)\s+(english|chinese)\b/i,
  /\bin (english|chinese)(,)? (please|pls|plz)\b/i,
];

/** The language a switch asks for. */
export function requestedLanguage(text: string): 'zh-CN' | 'en' {
  return /中文|汉语|普通话|chinese|\bzh\b/i.test(text) ? 'zh-CN' : 'en';
}

/** Whole messages asking for a person: the `human` command's words, and escape words (below). */
export const humanWords = [
  '人工',
  '转人工',
  '人工客服',
  '找人工',
  '真人',
  '客服',
  'human',
  'agent',
  'talk to staff',
  'staff',
];

/**
 * Whole messages that leave any flow in progress (menu labels included), by the flow they start.
 * Compared after `escapeKey` (no emoji, punctuation or spaces; lower case).
 */
export const escapeWords: Record<string, string[]> = {
  human: [...humanWords, '找客服', '人工服务', '联系客服', 'operator', 'real person', 'customer service'],
  menu: [
    '菜单',
    '主菜单',
    '返回菜单',
    '回到菜单',
    '回主菜单',
    '返回主菜单',
    '回到主菜单',
    'menu',
    'main menu',
    'start',
    'back to menu',
    'back to the menu',
    'back to main menu',
  ],
  unsubscribe: ['退订', 'td', 'stop', 'unsubscribe', '取消订阅', '不要再发了'],
  presale: ['商品咨询', '售前咨询', '咨询商品', 'product questions', 'products'],
  orders: ['我的订单', '订单查询', '查订单', '查询订单', 'my orders', 'my order', 'orders'],
  aftersale: ['售后服务', '售后', '申请售后', '售后进度', '我的售后', 'after-sale', 'aftersale', 'case status'],
  loyalty: ['积分', '我的积分', '积分查询', 'points', 'my points'],
  profile: ['我的资料', '个人资料', 'my profile', 'profile'],
  help: ['帮助', 'help'],
  cancel: ['取消', '退出', 'cancel'],
  language: ['english', '中文'],
};

/** A message reduced to what escape words are compared on. */
export function escapeKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/[\p{P}\p{S}\p{Extended_Pictographic}]|\uFE0F|\u200D/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const escapeIndex = new Map<string, string>();
for (const [flow, words] of Object.entries(escapeWords)) {
  for (const word of words) escapeIndex.set(escapeKey(word), flow);
}

/**
 * A customer leaving a step often says so first ("算了 找人工吧", "不用了 回主菜单", "actually nvm, can
 * I talk to someone"): the dismissal is dropped before the rest is compared, with its trailing 吧/啦.
 */
const dismissal =
  /^(算了|不用了|不要了|不了|先不了?|好吧|那|哦|嗯|actually|nvm|never ?mind|forget it|no thanks)[\s,，。.!！~～]*/i;
const trailingParticle = /(吧|啦|了|呗|哈)$/;

/** The flow a whole message escapes to (inside any flow), or undefined. */
export function escapeFlow(text: string): string | undefined {
  const key = escapeKey(text);
  if (!key) return undefined;
  const exact = escapeIndex.get(key) ?? escapeIndex.get(key.replace(/ /g, ''));
  if (exact) return exact;
  const trimmed = text.trim();
  const rest = trimmed.replace(dismissal, '').replace(dismissal, '');
  if (rest !== trimmed && rest) {
    const restKey = escapeKey(rest).replace(trailingParticle, '').trim();
    const found = escapeIndex.get(restKey) ?? escapeIndex.get(restKey.replace(/ /g, ''));
    if (found) return found;
  }
  // A person can always be reached, however it is put ("客服在吗", "有真人吗"), if that is the message.
  if (escapeKey(rest).length <= 24 && handoffPatterns.some((pattern) => pattern.test(rest))) return 'human';
  return undefined;
}
