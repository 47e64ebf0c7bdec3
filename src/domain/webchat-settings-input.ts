// How the webchat widget looks and what it asks, as admins set it and as the widget reads it. Shared
// by the API, the settings service, the console's shop settings form and (its type only) the widget.
import { z } from 'zod';

/** What an admin may set; everything is optional and falls back to the shop's defaults. */
export const WebchatSettingsInput = z
  .object({
    /** Shown in the widget's header; the SHOP_NAME setting when unset. */
    title: z.string().trim().min(1).max(60).optional(),
    /** An https (or same-site) image URL for the header. */
    logoUrl: z
      .string()
      .trim()
      .max(500)
      .regex(/^(https:\/\/|\/)[^\s"'<>]+$/, 'logoUrl is an https:// URL or a path on this server')
      .optional(),
    /** The widget's accent colour. */
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'color is #rrggbb')
      .optional(),
    /** The pre-chat form: which fields the widget asks before the first message. */
    preChat: z
      .object({ name: z.boolean().default(false), phone: z.boolean().default(false) })
      .strict()
      .optional(),
  })
  .strict();
export type WebchatSettingsInput = z.infer<typeof WebchatSettingsInput>;

/** What the widget reads (GET /api/webchat/settings). */
export interface WebchatSettings {
  title: string;
  logoUrl: string | null;
  color: string;
  /** The shop's default language; the widget follows the visitor's browser when it is zh or en. */
  locale: 'zh-CN' | 'en';
  preChat: { name: boolean; phone: boolean };
  /** The largest photo a visitor may send (UPLOAD_MAX_MB), so the widget can say so before uploading. */
  uploadMaxBytes: number;
}
