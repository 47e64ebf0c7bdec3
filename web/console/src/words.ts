// Every status, reason and code the console shows, as words in both languages. The tables are keyed
// by the shared vocabulary, so a new status without words does not compile.
import type { z } from 'zod';
import type { CampaignButtonFlow } from '../../../src/http/schemas/back-office.ts';
import type { SlaState } from '../../../src/http/schemas/console.ts';
import {
  type ActorKind,
  type AuditAction,
  type AuditEntityType,
  type CampaignStatus,
  type CasePriority,
  type CaseStage,
  type CaseStatus,
  type CaseType,
  type ChannelName,
  type ConversationStatus,
  type DeliveryStatus,
  type LifecycleStage,
  type OrderStatus,
  type OutboxStatus,
  type PointsKind,
  ProfileEventName,
  type RfmSegment,
  type StaffRole,
  type SurveyResponseStatus,
  type Tier,
} from '../../../src/http/schemas/vocabulary.ts';
import { type Language, type Message, msg } from './i18n.ts';

type Words<E extends z.ZodEnum> = Record<z.infer<E>, Message>;

export const conversationStatus: Words<typeof ConversationStatus> = {
  bot: msg('机器人接待', 'With the bot'),
  pending: msg('待处理', 'Waiting'),
  open: msg('处理中', 'Open'),
  resolved: msg('已解决', 'Resolved'),
};

export const channel: Words<typeof ChannelName> = {
  telegram: msg('Telegram', 'Telegram'),
  wechat: msg('微信', 'WeChat'),
  wecom: msg('企业微信客服', 'WeCom'),
  webchat: msg('网页客服', 'Web chat'),
};

export const tier: Words<typeof Tier> = {
  normal: msg('普通会员', 'Member'),
  silver: msg('银卡会员', 'Silver'),
  gold: msg('金卡会员', 'Gold'),
  diamond: msg('钻石会员', 'Diamond'),
};

export const lifecycle: Words<typeof LifecycleStage> = {
  prospect: msg('潜在客户', 'Prospect'),
  new: msg('新客', 'New'),
  active: msg('活跃', 'Active'),
  dormant: msg('沉睡', 'Dormant'),
  churned: msg('流失', 'Churned'),
};

export const orderStatus: Words<typeof OrderStatus> = {
  pending_payment: msg('待付款', 'Awaiting payment'),
  paid: msg('已付款', 'Paid'),
  shipped: msg('已发货', 'Shipped'),
  delivered: msg('已签收', 'Delivered'),
  completed: msg('已完成', 'Completed'),
  cancelled: msg('已取消', 'Cancelled'),
  refunded: msg('已退款', 'Refunded'),
};

export const caseType: Words<typeof CaseType> = {
  return: msg('退货', 'Return'),
  exchange: msg('换货', 'Exchange'),
  refund: msg('退款', 'Refund'),
  missing: msg('少件/未收到', 'Missing item'),
  damaged: msg('破损', 'Damaged'),
  invoice: msg('发票', 'Invoice'),
  complaint: msg('投诉', 'Complaint'),
  recovery: msg('满意度回访', 'Service recovery'),
  other: msg('其他', 'Other'),
};

export const caseStatus: Words<typeof CaseStatus> = {
  open: msg('待处理', 'Open'),
  in_progress: msg('处理中', 'In progress'),
  resolved: msg('已解决', 'Resolved'),
  closed: msg('已关闭', 'Closed'),
};

export const caseStage: Words<typeof CaseStage> = {
  approved: msg('已通过审核', 'Approved'),
  return_address_sent: msg('已发退货地址', 'Return address sent'),
  received: msg('已收到退货', 'Return received'),
  refunded: msg('已退款', 'Refunded'),
  shipped: msg('已补发/换货已寄出', 'Replacement shipped'),
  rejected: msg('未通过', 'Rejected'),
};

export const casePriority: Words<typeof CasePriority> = {
  low: msg('低', 'Low'),
  normal: msg('普通', 'Normal'),
  high: msg('高', 'High'),
  urgent: msg('紧急', 'Urgent'),
};

export const outboxStatus: Words<typeof OutboxStatus> = {
  queued: msg('排队发送', 'Queued'),
  sending: msg('发送中', 'Sending'),
  sent: msg('已发送', 'Sent'),
  failed: msg('发送失败', 'Failed'),
  unknown: msg('发送状态未知', 'Delivery unknown'),
};

export const pointsKind: Words<typeof PointsKind> = {
  earn: msg('获得', 'Earned'),
  redeem: msg('兑换', 'Redeemed'),
  expire: msg('过期', 'Expired'),
  adjust: msg('人工调整', 'Adjusted'),
  reverse: msg('冲回', 'Reversed'),
};

export const surveyStatus: Words<typeof SurveyResponseStatus> = {
  scheduled: msg('待发送', 'Scheduled'),
  sending: msg('发送中', 'Sending'),
  sent: msg('已发送', 'Sent'),
  completed: msg('已回答', 'Answered'),
  expired: msg('已过期', 'Expired'),
  cancelled: msg('已取消', 'Cancelled'),
};

export const campaignStatus: Words<typeof CampaignStatus> = {
  draft: msg('草稿', 'Draft'),
  scheduled: msg('已排期', 'Scheduled'),
  running: msg('发送中', 'Running'),
  paused: msg('已暂停', 'Paused'),
  completed: msg('已完成', 'Completed'),
  cancelled: msg('已取消', 'Cancelled'),
};

export const deliveryStatus: Words<typeof DeliveryStatus> = {
  queued: msg('排队中', 'Queued'),
  sending: msg('发送中', 'Sending'),
  sent: msg('已送达', 'Sent'),
  failed: msg('失败', 'Failed'),
  skipped: msg('已跳过', 'Skipped'),
  unknown: msg('状态未知', 'Unknown'),
};

export const role: Words<typeof StaffRole> = {
  admin: msg('管理员', 'Admin'),
  agent: msg('客服', 'Agent'),
};

export const sla: Record<SlaState, Message> = {
  none: msg('无时限', 'No SLA'),
  ok: msg('时限内', 'On time'),
  warned: msg('即将超时', 'Due soon'),
  breached: msg('已超时', 'Overdue'),
};

const reasons: Record<string, Message> = {
  customer_request: msg('客户要求人工', 'Customer asked for a person'),
  complaint: msg('投诉', 'Complaint'),
  not_understood: msg('机器人没听懂', 'The bot did not understand'),
  reopen: msg('重新打开', 'Reopened'),
  take: msg('接手', 'Taken'),
  // Why WeCom did not move the session after a takeover or hand-back (platform.session_refused).
  not_servicer: msg(
    '该客服的企业微信账号不是在线的接待人员，会话仍由 Guanxi 接待，可在此回复',
    'their WeCom account is not an active servicer; Guanxi keeps the session, reply here',
  ),
  session_ended: msg('企业微信里的会话已结束', 'the WeCom session had ended'),
  not_allowed: msg(
    '企业微信不允许从当前状态这样转移，请在企业微信中处理',
    'WeCom does not allow that move from the session’s state; handle it in the WeCom app',
  ),
  rejected: msg('企业微信拒绝了请求', 'WeCom refused the request'),
  unreachable: msg('暂时连不上企业微信', 'WeCom could not be reached'),
};

const surveyKinds: Record<string, Message> = {
  csat: msg('服务满意度', 'Service satisfaction'),
  nps: msg('推荐意愿', 'Likelihood to recommend'),
  post_purchase: msg('购后回访', 'After purchase'),
  custom: msg('自定义问卷', 'Custom survey'),
};

const skipReasons: Record<string, Message> = {
  quiet_hours: msg('免打扰时段', 'Quiet hours'),
  weekly_cap: msg('每周上限', 'Weekly cap'),
  no_consent: msg('未同意营销消息', 'No marketing consent'),
  opted_out: msg('已退订', 'Opted out'),
  unreachable: msg('无法联系', 'Unreachable'),
  window_closed: msg('超出 48 小时窗口', 'Outside the 48-hour window'),
};

/** A code with no words yet still reads as words: "high_value_return" → "high value return". */
function humanise(code: string): string {
  return code.replace(/[_:.-]+/g, ' ').trim();
}

export function reason(lang: Language, code: string | null): string {
  if (!code) return '';
  const known = reasons[code];
  if (known) return lang.t(known);
  if (code.startsWith('transfer to ')) return lang.t(msg('转交', 'Transferred'));
  if (code.startsWith('wecom:')) {
    return lang.t(msg('企业微信接待人员 {who}', 'WeCom servicer {who}'), { who: code.slice('wecom:'.length) });
  }
  return humanise(code);
}

export function surveyKind(lang: Language, kind: string): string {
  const known = surveyKinds[kind];
  return known ? lang.t(known) : humanise(kind);
}

export function skipReason(lang: Language, code: string | null): string {
  if (!code) return '';
  const known = skipReasons[code];
  return known ? lang.t(known) : humanise(code);
}

const events: Record<ProfileEventName, Message> = {
  'conversation.escalate': msg('转人工：{reason}', 'Handed to staff: {reason}'),
  'conversation.take': msg('{assignee} 接手了会话', '{assignee} took the conversation'),
  'conversation.transfer': msg('会话转交给 {assignee}', 'Transferred to {assignee}'),
  'conversation.requeue': msg('会话退回队列', 'Returned to the queue'),
  'conversation.release': msg('会话交还机器人', 'Handed back to the bot'),
  'conversation.resolve': msg('会话已解决', 'Conversation resolved'),
  'conversation.reopen': msg('{assignee} 重新打开了会话', '{assignee} reopened the conversation'),
  'conversation.sla_warning': msg('响应时限即将到期', 'Response due soon'),
  'conversation.sla_breach': msg('已超过响应时限', 'Response overdue'),
  'case.opened': msg('创建了工单', 'Case opened'),
  'order.created': msg('新增订单', 'Order added'),
  'order.updated': msg('订单状态更新', 'Order status changed'),
  'consent.opt_in': msg('同意接收营销消息', 'Opted in to marketing'),
  'consent.opt_out': msg('退订营销消息', 'Opted out of marketing'),
  'customer.merged': msg('合并了客户档案', 'Profiles merged'),
  'customer.unmerged': msg('撤销了档案合并', 'Profile merge undone'),
  'points.adjust': msg('客服调整了积分', 'Points adjusted by staff'),
  'loyalty.tier': msg('会员等级变更', 'Membership tier changed'),
  'loyalty.redeem': msg('兑换了礼品', 'Redeemed a reward'),
  'loyalty.referral': msg('通过好友邀请加入', 'Joined through a referral'),
  'survey.answer': msg('回答了问卷', 'Answered a survey'),
  'presale.question': msg('咨询商品', 'Asked about products'),
  'wecom.contact_added': msg('添加了企业微信客服为好友', 'Added a staff member on WeCom'),
  'wecom.contact_lost': msg('企业微信好友关系已解除', 'WeCom contact lost'),
  'platform.session_refused': msg('企业微信未同步会话状态：{reason}', 'WeCom did not follow: {reason}'),
};

/** A system line of a conversation or the timeline, as words. */
export function eventText(
  lang: Language,
  event: { type: string; reason?: string | null; assigneeName?: string | null },
): string {
  const name = ProfileEventName.safeParse(event.type);
  const known = name.success ? events[name.data] : undefined;
  const vars = {
    reason: reason(lang, event.reason ?? null),
    // Taken in the WeCom app by a 接待人员 with no staff account: named by their WeCom userid.
    assignee:
      event.assigneeName ??
      (event.reason?.startsWith('wecom:') ? reason(lang, event.reason) : lang.t(msg('客服', 'staff'))),
  };
  return known ? lang.t(known, vars) : humanise(event.type);
}

export function say<K extends string>(lang: Language, table: Record<K, Message>, key: K): string {
  return lang.t(table[key]);
}

/** The audit log's actions, as "who {did this}" reads. */
export const auditAction: Words<typeof AuditAction> = {
  'analytics.recompute': msg('重新计算了客户分析', 'recomputed the analytics'),
  'analytics.settings': msg('修改了分析设置', 'changed the analytics settings'),
  'automation.configure': msg('设置了自动营销', 'configured an automation'),
  'campaign.cancel': msg('取消了群发', 'cancelled a campaign'),
  'campaign.create': msg('创建了群发', 'created a campaign'),
  'campaign.edit': msg('修改了群发', 'edited a campaign'),
  'campaign.pause': msg('暂停了群发', 'paused a campaign'),
  'campaign.resume': msg('继续了群发', 'resumed a campaign'),
  'campaign.start': msg('开始了群发', 'started a campaign'),
  'canned.delete': msg('删除了快捷回复', 'deleted a canned reply'),
  'canned.upsert': msg('保存了快捷回复', 'saved a canned reply'),
  'case.note': msg('给工单写了备注', 'noted on a case'),
  'case.open': msg('开了工单', 'opened a case'),
  'case.update': msg('更新了工单', 'updated a case'),
  'consent.opt_in': msg('同意接收营销消息', 'opted in to marketing'),
  'consent.opt_out': msg('退订营销消息', 'opted out of marketing'),
  'conversation.access_denied': msg('试图打开无权查看的会话', 'tried to open a conversation out of reach'),
  'conversation.escalate': msg('转人工', 'handed over to staff'),
  'conversation.note': msg('在会话里写了备注', 'noted in a conversation'),
  'conversation.release': msg('放回了会话', 'released a conversation'),
  'conversation.reopen': msg('重新打开了会话', 'reopened a conversation'),
  'conversation.reply': msg('回复了客户', 'replied to a customer'),
  'conversation.requeue': msg('把会话放回队列', 'put a conversation back in the queue'),
  'conversation.resolve': msg('结束了会话', 'resolved a conversation'),
  'conversation.sla_breach': msg('会话超时', 'missed a service target'),
  'conversation.sla_warning': msg('会话即将超时', 'came close to a service target'),
  'conversation.take': msg('接入了会话', 'took a conversation'),
  'conversation.transfer': msg('转交了会话', 'transferred a conversation'),
  'customer.merge': msg('合并了客户', 'merged customers'),
  'customer.merge_undo': msg('撤销了客户合并', 'undid a customer merge'),
  'customer.erase': msg('删除了客户的个人信息', 'erased a customer’s personal data'),
  'customer.export': msg('导出了客户的全部数据', 'exported a customer’s data'),
  'customer.note': msg('给客户写了备注', 'noted on a customer'),
  'customer.reveal': msg('查看了完整手机号', 'revealed a phone number'),
  'customer.tag': msg('给客户加了标签', 'tagged a customer'),
  'customer.untag': msg('去掉了客户标签', 'removed a customer tag'),
  'customer.update': msg('修改了客户资料', 'edited a customer'),
  'faq.create': msg('新增了常见问题', 'added an FAQ'),
  'faq.update': msg('修改了常见问题', 'edited an FAQ'),
  'faq.delete': msg('删除了常见问题', 'deleted an FAQ'),
  'order.created': msg('新建了订单', 'created an order'),
  'order.updated': msg('更新了订单', 'updated an order'),
  'points.adjust': msg('调整了积分', 'adjusted points'),
  'points.export': msg('导出了积分记录', 'exported the points ledger'),
  'product.upsert': msg('保存了商品', 'saved a product'),
  'product.activate': msg('上架了商品', 'listed a product'),
  'product.deactivate': msg('下架了商品', 'delisted a product'),
  'reward.codes': msg('添加了兑换码', 'added reward codes'),
  'reward.create': msg('新增了礼品', 'added a reward'),
  'reward.update': msg('修改了礼品', 'edited a reward'),
  'segment.create': msg('新建了客户分群', 'created a segment'),
  'segment.delete': msg('删除了客户分群', 'deleted a segment'),
  'segment.update': msg('修改了客户分群', 'edited a segment'),
  'staff.create': msg('新增了员工', 'added a staff member'),
  'staff.login': msg('登录了控制台', 'signed in'),
  'staff.locked': msg('因多次密码错误锁定了账号', 'locked an account after repeated wrong passwords'),
  'staff.login_failed': msg('登录失败', 'failed to sign in'),
  'staff.offline': msg('下线', 'went offline'),
  'staff.online': msg('上线', 'came online'),
  'staff.session_end': msg('结束了登录会话', 'ended a sign-in session'),
  'staff.token': msg('签发了 API 令牌', 'issued an API token'),
  'staff.token_revoke': msg('吊销了 API 令牌', 'revoked an API token'),
  'staff.update': msg('修改了员工账号', 'edited a staff account'),
  'survey.upsert': msg('保存了问卷', 'saved a survey'),
  'synonym.delete': msg('删除了同义词', 'deleted a synonym'),
  'synonym.set': msg('设置了同义词', 'set a synonym'),
  'telegram.staff_refused': msg('非员工在 Telegram 员工群操作被拒', 'was refused in the Telegram staff group'),
  'webchat.settings': msg('修改了网页客服设置', 'changed the webchat widget settings'),
  'wecom.contact_way': msg('创建了企业微信渠道活码', 'created a WeCom contact-way QR code'),
  'wecom.tags_push': msg('把标签同步到企业微信', 'pushed tags to WeCom'),
};

export const actorKind: Words<typeof ActorKind> = {
  staff: msg('员工', 'Staff'),
  admin: msg('管理员令牌', 'Admin token'),
  system: msg('系统', 'System'),
  customer: msg('客户', 'Customer'),
  anonymous: msg('未知来访者', 'Someone unknown'),
};

export const auditEntity: Words<typeof AuditEntityType> = {
  analytics: msg('客户分析', 'Analytics'),
  automation: msg('自动营销', 'Automation'),
  campaign: msg('群发', 'Campaign'),
  canned_reply: msg('快捷回复', 'Canned reply'),
  case: msg('工单', 'Case'),
  conversation: msg('会话', 'Conversation'),
  customer: msg('客户', 'Customer'),
  faq: msg('常见问题', 'FAQ'),
  ledger: msg('积分账本', 'Points ledger'),
  order: msg('订单', 'Order'),
  product: msg('商品', 'Product'),
  reward: msg('礼品', 'Reward'),
  segment: msg('客户分群', 'Segment'),
  setting: msg('设置', 'Setting'),
  staff: msg('员工', 'Staff'),
  survey: msg('问卷', 'Survey'),
  synonym: msg('同义词', 'Synonym'),
  wecom_contact_way: msg('渠道活码', 'WeCom contact-way code'),
};

/** RFM segments as the shop reads them (the same words as the analytics page's labels). */
export const rfmSegment: Words<typeof RfmSegment> = {
  important_value: msg('重要价值客户', 'Champions'),
  important_retain: msg('重要保持客户', 'Loyal, slipping'),
  important_develop: msg('重要发展客户', 'Big new spenders'),
  important_winback: msg('重要挽留客户', 'Big spenders at risk'),
  general_value: msg('一般价值客户', 'Frequent small buyers'),
  general_retain: msg('一般保持客户', 'Frequent, slipping'),
  general_develop: msg('一般发展客户', 'Recent small buyers'),
  general_winback: msg('一般挽留客户', 'Lapsed small buyers'),
};

/** What a campaign button can open. */
export const buttonFlow: Words<typeof CampaignButtonFlow> = {
  menu: msg('主菜单', 'Main menu'),
  presale: msg('商品咨询', 'Product questions'),
  loyalty: msg('积分与礼品', 'Points and rewards'),
  orders: msg('我的订单', 'My orders'),
  aftersale: msg('售后服务', 'After-sales'),
  profile: msg('我的资料', 'My profile'),
  human: msg('人工客服', 'Talk to staff'),
};
