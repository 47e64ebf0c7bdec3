// The typed API client: every request body and response is a schema from src/http/schemas, the same
// ones the server parses and encodes with, so a contract change breaks the build, not the page.
import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import { OrderInput, OrderPatch } from '../../../src/domain/order-input.ts';
import { CannedInput, type Locale, StaffInput, StaffPatch } from '../../../src/domain/staff-input.ts';
import { AuditResponse } from '../../../src/http/schemas/audit.ts';
import {
  AdjustInput,
  AdjustResponse,
  AnalyticsSummary,
  CampaignCreateBody,
  CampaignDetail,
  CampaignPreview,
  CampaignPreviewBody,
  CampaignResults,
  CampaignsResponse,
  ChurnRiskResponse,
  CodesInput,
  CodesResponse,
  type ImportKind,
  ImportReport,
  LedgerResponse,
  LoyaltyReport,
  RecomputeResponse,
  RewardInput,
  RewardPatch,
  RewardsResponse,
  type SegmentInput,
  SegmentInput as SegmentInputBody,
  SegmentPreview,
  SegmentPreviewBody,
  SegmentsResponse,
  type SurveyGroupBy,
  SurveyReport,
  VerifyResponse,
  WinBackBody,
} from '../../../src/http/schemas/back-office.ts';
import {
  CaseDetail,
  type CaseFilters,
  CaseListResponse,
  CaseNoteInput,
  CaseUpdate,
} from '../../../src/http/schemas/cases.ts';
import {
  FaqInput,
  FaqsResponse,
  ProductInput,
  ProductsResponse,
  SynonymInput,
  SynonymsResponse,
} from '../../../src/http/schemas/catalog.ts';
import {
  ActionResponse,
  CannedListResponse,
  ConversationResponse,
  LoginBody,
  LoginResponse,
  MeResponse,
  MetricsResponse,
  type QueueQuery,
  QueueResponse,
  ReplyBody,
  StaffListResponse,
  TokenResponse,
  TransferBody,
  TypingBody,
  UploadResponse,
} from '../../../src/http/schemas/console.ts';
import {
  CustomerListResponse,
  CustomerProfile,
  CustomerUpdate,
  NoteInput,
  TagInput,
  TagsResponse,
} from '../../../src/http/schemas/customers.ts';
import { MergeBody, MergeResponse, SuggestionsResponse, UndoResponse } from '../../../src/http/schemas/merges.ts';
import { OrderListResponse } from '../../../src/http/schemas/orders.ts';
import {
  SurveyInput,
  SurveysResponse,
  WebchatSettingsInput,
  WebchatSettingsView,
} from '../../../src/http/schemas/shop-admin.ts';
import {
  ContactReport,
  ContactWayInput,
  ContactWaysResponse,
  TagPushInput,
  TagPushResult,
} from '../../../src/http/schemas/wecom.ts';
import { ErrorBody } from '../../../src/http/schemas/wire.ts';
import { session } from './session.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Told when the server no longer accepts the session (the shell shows the login again). */
let onUnauthorized: () => void = () => {};
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Responses the console does not read beyond "it worked". */
const Accepted = z.unknown();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

function authHeaders(): Record<string, string> {
  return session.token ? { authorization: `Bearer ${session.token}` } : {};
}

async function request<S extends z.ZodType>(
  method: Method,
  path: string,
  response: S,
  body?: { schema: z.ZodType; value: unknown } | { file: Blob; contentType: string } | { form: FormData },
): Promise<z.output<S>> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  let payload: string | Blob | FormData | undefined;
  if (body && 'form' in body) {
    // The browser writes the multipart content type with its boundary.
    payload = body.form;
  } else if (body && 'file' in body) {
    headers['content-type'] = body.contentType;
    payload = body.file;
  } else if (body) {
    // Checked here first: a form error is shown at once and never reaches the server.
    const checked = body.schema.safeParse(body.value);
    if (!checked.success) throw new ApiError(400, 'invalid_request', z.prettifyError(checked.error));
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.value);
  }
  const res = await fetch(path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const data: unknown = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const error = ErrorBody.safeParse(data);
    if (res.status === 401 && path !== '/api/console/login') onUnauthorized();
    throw new ApiError(
      res.status,
      error.success ? error.data.error.code : 'error',
      error.success ? error.data.error.message : res.statusText,
    );
  }
  return response.parse(data);
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

const with_ = <S extends z.ZodType>(schema: S, value: z.input<S>) => ({ schema, value });

/** The queue's filters as the console holds them (the server parses the same schema from the query string). */
export type QueueFilters = z.output<typeof QueueQuery>;

export type ConversationAction = 'take' | 'release' | 'requeue' | 'resolve' | 'reopen';

export const api = {
  login: (body: LoginBody) => request('POST', '/api/console/login', LoginResponse, with_(LoginBody, body)),
  me: () => request('GET', '/api/console/me', MeResponse),
  /** Ends this session on the server (it would otherwise live until its idle timeout). */
  logout: () => request('POST', '/api/console/logout', Accepted, with_(z.object({}), {})),
  setLocale: (locale: Locale) =>
    request('PATCH', '/api/console/me', MeResponse, with_(z.object({ locale: z.enum(['zh-CN', 'en']) }), { locale })),
  presence: (online: boolean) =>
    request('POST', '/api/console/presence', Accepted, with_(z.object({ online: z.boolean() }), { online })),

  queue: (q: QueueFilters) =>
    request(
      'GET',
      `/api/console/queue${query({ view: q.view, status: q.status, assignee: q.assignee === undefined ? undefined : String(q.assignee), channel: q.channel, tag: q.tag, q: q.q })}`,
      QueueResponse,
    ),
  conversation: (id: number) => request('GET', `/api/console/conversations/${id}`, ConversationResponse),
  act: (id: number, action: ConversationAction) =>
    request('POST', `/api/console/conversations/${id}/${action}`, ActionResponse),
  transfer: (id: number, body: z.input<typeof TransferBody>) =>
    request('POST', `/api/console/conversations/${id}/transfer`, ActionResponse, with_(TransferBody, body)),
  /** A photo to send in the conversation (multipart, as the widget uploads); the reply then names its id. */
  uploadPhoto: (id: number, photo: File) => {
    const form = new FormData();
    form.append('file', photo, photo.name);
    return request('POST', `/api/console/conversations/${id}/attachments`, UploadResponse, { form });
  },
  reply: (id: number, body: z.input<typeof ReplyBody>) =>
    request('POST', `/api/console/conversations/${id}/reply`, ActionResponse, with_(ReplyBody, body)),
  /** The reply box's typing signal (live only; the customer's chat shows it). */
  typing: (id: number, typing: boolean) =>
    request('POST', `/api/console/conversations/${id}/typing`, Accepted, with_(TypingBody, { typing })),
  note: (id: number, text: string) =>
    request('POST', `/api/console/conversations/${id}/notes`, Accepted, with_(NoteInput, { text })),

  canned: () => request('GET', '/api/console/canned', CannedListResponse),
  saveCanned: (shortcut: string, body: z.input<typeof CannedInput>) =>
    request('PUT', `/api/console/canned/${encodeURIComponent(shortcut)}`, Accepted, with_(CannedInput, body)),
  deleteCanned: (shortcut: string) =>
    request('DELETE', `/api/console/canned/${encodeURIComponent(shortcut)}`, Accepted),
  /** The team; `all` (admins) also lists deactivated accounts. */
  staff: (all = false) => request('GET', `/api/console/staff${all ? '?all=true' : ''}`, StaffListResponse),
  updateStaff: (id: number, body: z.input<typeof StaffPatch>) =>
    request('PATCH', `/api/console/staff/${id}`, Accepted, with_(StaffPatch, body)),
  createStaff: (body: z.input<typeof StaffInput>) =>
    request('POST', '/api/console/staff', Accepted, with_(StaffInput, body)),
  issueToken: (id: number) => request('POST', `/api/console/staff/${id}/token`, TokenResponse),
  metrics: (days: number) => request('GET', `/api/console/metrics${query({ days })}`, MetricsResponse),

  customers: (q: string) => request('GET', `/api/customers${query({ q, take: 50 })}`, CustomerListResponse),
  profile: (id: number) => request('GET', `/api/customers/${id}`, CustomerProfile),
  updateCustomer: (id: number, body: z.input<typeof CustomerUpdate>) =>
    request('PATCH', `/api/customers/${id}`, Accepted, with_(CustomerUpdate, body)),
  audit: (filters: { actor?: string; action?: string; entity?: string; from?: string; to?: string; cursor?: string }) =>
    request('GET', `/api/audit${query(filters)}`, AuditResponse),
  /** The full phone number of a customer (agents read it masked); the server audits it. */
  revealPhone: (id: number) =>
    request('POST', `/api/customers/${id}/reveal`, z.object({ phone: z.string().nullable() }), with_(z.object({}), {})),
  /** Moves every record of `sourceId` onto `targetId` (admin; audited, reversible with `undoMerge`). */
  merge: (sourceId: number, targetId: number) =>
    request('POST', '/api/merges', MergeResponse, with_(MergeBody, { sourceId, targetId })),
  undoMerge: (mergeId: number) => request('POST', `/api/merges/${mergeId}/undo`, UndoResponse, with_(z.object({}), {})),
  mergeSuggestions: () => request('GET', '/api/merges/suggestions', SuggestionsResponse),
  addTag: (id: number, tag: string) =>
    request('POST', `/api/customers/${id}/tags`, TagsResponse, with_(TagInput, { tag })),
  removeTag: (id: number, tag: string) =>
    request('DELETE', `/api/customers/${id}/tags/${encodeURIComponent(tag)}`, TagsResponse),
  addNote: (id: number, text: string) =>
    request('POST', `/api/customers/${id}/notes`, Accepted, with_(NoteInput, { text })),

  cases: (f: CaseFilters) =>
    request(
      'GET',
      `/api/cases${query({ status: f.status, type: f.type, stage: f.stage, q: f.q, take: 100 })}`,
      CaseListResponse,
    ),
  case: (caseNo: string) => request('GET', `/api/cases/${encodeURIComponent(caseNo)}`, CaseDetail),
  updateCase: (caseNo: string, body: z.input<typeof CaseUpdate>) =>
    request('PATCH', `/api/cases/${encodeURIComponent(caseNo)}`, Accepted, with_(CaseUpdate, body)),
  caseNote: (caseNo: string, text: string) =>
    request('POST', `/api/cases/${encodeURIComponent(caseNo)}/notes`, Accepted, with_(CaseNoteInput, { text })),

  orders: (f: { q?: string; status?: string; take: number; skip: number }) =>
    request('GET', `/api/orders${query(f)}`, OrderListResponse),
  createOrder: (body: z.input<typeof OrderInput>) => request('POST', '/api/orders', Accepted, with_(OrderInput, body)),
  updateOrder: (orderNo: string, body: z.input<typeof OrderPatch>) =>
    request('PATCH', `/api/orders/${encodeURIComponent(orderNo)}`, Accepted, with_(OrderPatch, body)),

  products: () => request('GET', '/api/products?all=true', ProductsResponse),
  saveProduct: (sku: string, body: z.input<typeof ProductInput>) =>
    request('PUT', `/api/products/${encodeURIComponent(sku)}`, Accepted, with_(ProductInput, body)),
  setProductActive: (sku: string, active: boolean) =>
    request(
      'PATCH',
      `/api/products/${encodeURIComponent(sku)}`,
      Accepted,
      with_(z.object({ active: z.boolean() }), { active }),
    ),
  faqs: () => request('GET', '/api/faqs', FaqsResponse),
  createFaq: (body: z.input<typeof FaqInput>) => request('POST', '/api/faqs', Accepted, with_(FaqInput, body)),
  updateFaq: (id: number, body: z.input<typeof FaqInput>) =>
    request('PUT', `/api/faqs/${id}`, Accepted, with_(FaqInput, body)),
  deleteFaq: (id: number) => request('DELETE', `/api/faqs/${id}`, Accepted),
  synonyms: () => request('GET', '/api/synonyms', SynonymsResponse),
  setSynonym: (term: string, alternatives: string[]) =>
    request('PUT', `/api/synonyms/${encodeURIComponent(term)}`, Accepted, with_(SynonymInput, { alternatives })),
  deleteSynonym: (term: string) => request('DELETE', `/api/synonyms/${encodeURIComponent(term)}`, Accepted),

  ledger: (customerId: number) => request('GET', `/api/customers/${customerId}/points?take=200`, LedgerResponse),
  adjust: (customerId: number, body: z.input<typeof AdjustInput>) =>
    request('POST', `/api/customers/${customerId}/points/adjust`, AdjustResponse, with_(AdjustInput, body)),
  rewards: () => request('GET', '/api/rewards?all=true', RewardsResponse),
  createReward: (body: z.input<typeof RewardInput>) =>
    request('POST', '/api/rewards', Accepted, with_(RewardInput, body)),
  updateReward: (id: number, body: z.input<typeof RewardPatch>) =>
    request('PATCH', `/api/rewards/${id}`, Accepted, with_(RewardPatch, body)),
  addCodes: (rewardId: number, codes: string[]) =>
    request('POST', `/api/rewards/${rewardId}/codes`, CodesResponse, with_(CodesInput, { codes })),
  verifyPoints: () => request('GET', '/api/points/verify', VerifyResponse),

  surveys: () => request('GET', '/api/surveys', SurveysResponse),
  saveSurvey: (key: string, body: z.input<typeof SurveyInput>) =>
    request('PUT', `/api/surveys/${encodeURIComponent(key)}`, Accepted, with_(SurveyInput, body)),
  webchatSettings: () => request('GET', '/api/webchat/settings', WebchatSettingsView),
  saveWebchatSettings: (body: z.input<typeof WebchatSettingsInput>) =>
    request('PUT', '/api/webchat/settings', WebchatSettingsView, with_(WebchatSettingsInput, body)),
  loyaltyReport: (from: string, to: string) =>
    request('GET', `/api/loyalty/report${query({ from, to })}`, LoyaltyReport),
  surveyReport: (from: string, to: string, groupBy: SurveyGroupBy) =>
    request('GET', `/api/surveys/report${query({ from, to, groupBy })}`, SurveyReport),

  analytics: () => request('GET', '/api/analytics/summary', AnalyticsSummary),
  churnRisk: () => request('GET', '/api/analytics/churn-risk?minRisk=0.3&take=100', ChurnRiskResponse),
  recompute: () => request('POST', '/api/analytics/recompute', RecomputeResponse, with_(z.object({}), {})),
  winBack: (body: z.input<typeof WinBackBody>) =>
    request('POST', '/api/analytics/win-back', z.object({ id: z.number() }), with_(WinBackBody, body)),

  campaigns: () => request('GET', '/api/campaigns', CampaignsResponse),
  campaign: (id: number) => request('GET', `/api/campaigns/${id}`, CampaignDetail),
  campaignResults: (id: number) => request('GET', `/api/campaigns/${id}/results`, CampaignResults),
  campaignAction: (id: number, action: 'start' | 'pause' | 'resume' | 'cancel') =>
    request('POST', `/api/campaigns/${id}/${action}`, Accepted, with_(z.object({}), {})),
  createCampaign: (body: CampaignCreateBody) =>
    request('POST', '/api/campaigns', z.object({ id: z.number() }), with_(CampaignCreateBody, body)),
  editCampaign: (id: number, body: CampaignCreateBody) =>
    request('PUT', `/api/campaigns/${id}`, z.object({ id: z.number() }), with_(CampaignCreateBody, body)),
  previewCampaign: (body: z.input<typeof CampaignPreviewBody>) =>
    request('POST', '/api/campaigns/preview', CampaignPreview, with_(CampaignPreviewBody, body)),
  segments: () => request('GET', '/api/segments', SegmentsResponse),
  previewSegment: (body: z.input<typeof SegmentPreviewBody>) =>
    request('POST', '/api/segments/preview', SegmentPreview, with_(SegmentPreviewBody, body)),
  createSegment: (body: SegmentInput) =>
    request('POST', '/api/segments', z.object({ id: z.number() }), with_(SegmentInputBody, body)),
  updateSegment: (id: number, body: SegmentInput) =>
    request('PUT', `/api/segments/${id}`, z.object({ id: z.number() }), with_(SegmentInputBody, body)),
  deleteSegment: (id: number) => request('DELETE', `/api/segments/${id}`, Accepted),

  contactWays: () => request('GET', '/api/wecom/contact-ways', ContactWaysResponse),
  createContactWay: (body: z.input<typeof ContactWayInput>) =>
    request('POST', '/api/wecom/contact-ways', Accepted, with_(ContactWayInput, body)),
  contactReport: () => request('GET', '/api/wecom/contact-report', ContactReport),
  pushTags: (body: z.input<typeof TagPushInput>) =>
    request('POST', '/api/wecom/tags/push', TagPushResult, with_(TagPushInput, body)),

  /** Sends a CSV file to be checked (`preview`) or imported; the server detects its encoding. */
  importCsv: (kind: ImportKind, file: Blob, mode: 'preview' | 'import') =>
    request('POST', `/api/imports/${kind}${mode === 'preview' ? '/preview' : ''}`, ImportReport, {
      file,
      contentType: 'text/csv',
    }),
  /** A file (a customer's photo) fetched with the session header, as an object URL for an <img>. */
  async objectUrl(path: string): Promise<string> {
    const res = await fetch(path, { headers: authHeaders() });
    if (!res.ok) throw new ApiError(res.status, 'error', res.statusText);
    return URL.createObjectURL(await res.blob());
  },

  /** A CSV export, fetched with the session header and handed to the browser as a download. */
  async download(path: string, filename: string): Promise<void> {
    const res = await fetch(path, { headers: authHeaders() });
    if (!res.ok) throw new ApiError(res.status, 'error', res.statusText);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await res.blob());
    link.download = filename;
    link.click();
    URL.revokeObjectURL(link.href);
  },
};

/** Opens a server-sent event stream with the session header (fetch, not EventSource: no token in the URL). */
export async function openStream(
  path: string,
  onMessage: (event: string, data: unknown) => void,
  options: { onOpen?: () => void; signal: AbortSignal },
): Promise<void> {
  let delay = 1000;
  while (!options.signal.aborted) {
    try {
      const res = await fetch(path, {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        signal: options.signal,
      });
      if (res.status === 401) {
        onUnauthorized();
        return;
      }
      if (!res.ok || !res.body) throw new ApiError(res.status, 'error', res.statusText);
      options.onOpen?.();
      delay = 1000;
      const parser = createParser({
        onEvent: (message) => {
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          onMessage(message.event ?? 'message', data);
        },
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      if (options.signal.aborted) return;
    }
    // The stream ended (server restart, network): reconnect with a growing pause.
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 15_000);
  }
}
