// Deterministic intent classification: orders and after-sale requests are recognised by their verbs
// and nouns; a policy *question* ("支持七天无理由退货吗") stays with pre-sale Q&A, while a *request*
// ("我要退货") or a problem report ("少发了一件") starts the after-sale flow.
import { normalize } from './tokenize.ts';

export type Intent = 'orders' | 'aftersale' | 'presale';

/** Order numbers look like "20251111-0042", "DEMO-1002", "SO123456": letters optional, digits required. */
const orderNoPattern = /(?<![a-z0-9-])([a-z]{0,8}-?\d{4,}(?:-\d{2,})*)(?![a-z0-9])/gi;

export function orderNumberCandidates(text: string): string[] {
  const found: string[] = [];
  for (const match of normalize(text).matchAll(orderNoPattern)) {
    const raw = match[1] ?? '';
    // An 11-digit mobile number is not an order number.
    if (/^1\d{10}$/.test(raw)) continue;
    if (raw.replace(/\D/g, '').length >= 4) found.push(raw.toUpperCase());
  }
  return found;
}

export const caseNoPattern = /\bAS\d{8}-\d{1,6}\b/i;

const orderWords =
  /我的订单|查订单|查询订单|订单状态|订单详情|订单号|查(一下)?物流|物流(信息|状态|到哪)|快递(到哪|单号|信息)|快递单号|运单号|物流单号|到哪了|到哪儿了|到哪里了|发货了吗|发货没|发货了没|发了没|还没发货|还没到|还没收到|到了没|到了吗|到没到|收到了没|签收了(吗|没)|什么时候到(货)?啊|\bmy orders?\b|\bwhere is my\b|\btrack(ing)?\b|\border status\b|\bhas my order\b|\bwhere'?s my\b|\bmy (parcel|package|shipment)\b/i;
/** A question about where a bought parcel is (answered with the order in transit, tracking number included). */
/** "帮我看下快递", "查下物流": looking up one's own parcel, not asking which courier the shop uses. */
const lookUpParcel = /(帮我|给我)?(看|查)(一?下|看)?(我的)?(快递|物流|包裹)/;
const trackingWords =
  /到哪|物流|快递|单号|运单|发货了没|发了没|到了没|到了吗|还没到|签收|\btrack|\bwhere'?s my\b|\bwhere is my\b|\bparcel\b|\bpackage\b|\bshipped\b/i;

export function isTrackingQuestion(text: string): boolean {
  return trackingWords.test(normalize(text));
}
/**
 * A problem with a received item. Wear words count once they happened ("缩水了", not "会缩水吗"); a
 * stain, a hole or a defect is a problem however it is put ("has a stain on it").
 */
const afterSaleProblem =
  /售后进度|售后|少发|漏发|发错(?!地址)|破损|坏了|破了|有破洞|破洞|质量问题|质量有问题|开线|脱线|(掉色|褪色|起球|缩水|变形|开胶|脱胶|掉毛|染色|串色|抽丝|脱色|发霉)了|(污渍|污点|瑕疵|次品|残次)(?![吗么嘛])|\bdamaged\b|\bbroken?\b|\bbroke\b|\b(tore|torn|ripped|stained|faded|shrank|shrunk|defective|faulty)\b|\b(has|have|with|there'?s|there is|got) (a |an |some )?(stains?|holes?|tears?|rips?|marks?|defects?)\b|\bmissing (item|part)s?\b|\bwrong (item|colou?r|size|product|one)\b|\bcase status\b|\bafter-?sales?\b/i;
const afterSaleTopic =
  /退货|退款|换货|换码|换个码|换尺码|换(个|一个)?(大|小)(一)?(码|号|点)|换大|换小|换(个)?颜色|换色|(想|要|申请)退(?![订出])|退掉|寄回|退回去|发票|开票|\breturns?\b|\brefunds?\b|\bexchange\b|\binvoice\b|\bsend (it|this|them|these|that|something|the \w+) back\b/i;
const requestWords =
  /我要|我想|想要|申请|帮我|给我|要退|想退|想换|要换|麻烦|需要开|怎么操作|怎么申请|如何申请|\bi want\b|\bi'?d like\b|\bi need\b|\bplease\b|\bhelp me\b|\bstart a\b|\bi wanna\b|\btoo (tight|small|big|large|loose|short|long)\b/i;
/** Said beside a return/exchange word, these describe the customer's own item: a request, not a policy question. */
const problemHints =
  /\b(it'?s|it is|they'?re|they are|too) (too )?(tight|small|big|large|loose|short|long)\b|\b(doesn'?t|does not|don'?t|do not|didn'?t|did not) fit\b|太(小|大|紧|短|长|肥)了|(买|拍|选|穿|做)(得|的)?(有点|有些|太)?(大|小|紧|短|长|肥|瘦)了|(穿着|穿起来|上身)(有点|有些|太)?(大|小|紧|短|长|肥)/i;
const policyQuestion =
  /吗|么|？|\?|怎么|多久|政策|谁出|运费|支持|规则|如果|万一|要是|\bpolicy\b|\bhow long\b|\bdo you\b|\bcan i\b|\bdo i\b|\bshould i\b|\bwill i\b|\bis it\b|\bwho pays\b|\bif\b|\b(what|what's|whats|which|how|when|who)\b/i;
/** "if it doesn't fit, can I return it?" asks the policy; the item is not (yet) the customer's problem. */
const hypothetical = /\bif\b|\bin case\b|如果|万一|要是|假如/i;

/** The customer speaks of their own purchase ("我昨天付的款", "I ordered"): a shipping question is about that order. */
const ownPurchase =
  /我(昨天|前天|今天|刚才|刚刚|上周|已经|早上|上午|下午)?(就)?(付|买|拍|下)(的|了|过)(款|单)?|(已经|刚)(付|下)(了)?(款|单)|\bi (already )?(paid|ordered|bought|placed an order)\b/i;
const prePurchase =
  /\bif i (pay|order|buy|place)|\b(before|once) i (pay|order|buy)|如果(我)?(现在|今天|明天)?(付款|下单|拍下?|买)|(现在|今天)(付款|下单|拍下?)的话/i;
const shippingQuestion = /发货|发出|寄出|到货|送到|能到|几天到|多久到|什么时候到|\bship|\bdeliver|\barriv|\bsent\b/i;

export function classifyText(text: string): { intent: Intent; confidence: number } | null {
  const clean = normalize(text);
  if (caseNoPattern.test(clean) || afterSaleProblem.test(clean)) return { intent: 'aftersale', confidence: 0.9 };
  // Judge a return/refund/invoice word by its own clause (punctuation kept, so "可以退货？" stays a
  // question): in "订单…到哪了，另外可以开发票吗" the order number belongs to the tracking question and
  // the invoice part is a policy question for pre-sale Q&A.
  const topical = clean.split(/(?<=[，,。！!？?；;\n])|另外|还有|顺便/).filter((part) => afterSaleTopic.test(part));
  if (topical.length > 0) {
    const request =
      (problemHints.test(clean) && !hypothetical.test(clean)) ||
      topical.some(
        (part) => requestWords.test(part) || orderNumberCandidates(part).length > 0 || !policyQuestion.test(part),
      );
    if (request) return { intent: 'aftersale', confidence: 0.85 };
    if (!orderWords.test(clean)) return null;
  }
  // "when will my order be shipped if I pay now": a question before buying, about the shop's rule.
  if (prePurchase.test(clean) && orderNumberCandidates(clean).length === 0) return null;
  if (orderWords.test(clean) || lookUpParcel.test(clean)) return { intent: 'orders', confidence: 0.9 };
  if (ownPurchase.test(clean) && shippingQuestion.test(clean)) return { intent: 'orders', confidence: 0.85 };
  const numbers = orderNumberCandidates(clean);
  if (numbers.length === 1 && clean.trim().toUpperCase() === numbers[0]) return { intent: 'orders', confidence: 0.8 };
  if (numbers.length > 0 && /订单|单号|order|包裹|快递|物流|查|\bno\.?|\bcheck\b|\bstatus\b|\btrack/i.test(clean)) {
    return { intent: 'orders', confidence: 0.85 };
  }
  return null;
}
