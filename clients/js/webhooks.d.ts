// Type declarations for @signaling-api/client/webhooks (Node receivers).

/** The raw request body, before any JSON parsing. */
export type WebhookBody = Uint8Array | ArrayBuffer | string;

/** Request headers: a plain object such as Node's req.headers (names in any case), or a fetch Headers instance. */
export type WebhookHeaders =
  | { get(name: string): string | null }
  | Record<string, string | string[] | undefined | null>;

export interface VerifyStandardWebhookOptions {
  /**
   * The subscription's secret; or secrets, e.g. both while you switch to a rotated one. "whsec_" + base64 (standard
   * or URL-safe alphabet) is used decoded; any other secret as its UTF-8 bytes.
   */
  secret?: string;
  secrets?: string[];
  body: WebhookBody;
  /** Holding webhook-id, webhook-timestamp and webhook-signature. */
  headers: WebhookHeaders;
  /** Reject timestamps further off than this, in either direction. Default 300. */
  toleranceSeconds?: number;
  /** Current time in ms (tests). */
  now?: number;
}

/**
 * Standard Webhooks (https://www.standardwebhooks.com/): true when webhook-timestamp is fresh and a "v1,<base64>"
 * entry of webhook-signature is the HMAC-SHA256 of `${id}.${timestamp}.${body}` under one of the secrets (every
 * comparison made, each in constant time). Malformed or missing headers resolve to false; only a missing secret
 * rejects (TypeError).
 */
export function verifyStandardWebhook(options: VerifyStandardWebhookOptions): Promise<boolean>;

/** The webhook-signature value the service would send, "v1,<base64>" (for receivers' own tests). */
export function signStandardWebhook(options: {
  secret: string;
  /** webhook-id */
  id: string;
  /** webhook-timestamp, unix seconds */
  timestamp: string | number;
  body: WebhookBody;
}): Promise<string>;

/** @deprecated The X-Signaling-* headers are deprecated: use verifyStandardWebhook. */
export interface VerifyWebhookOptions {
  /** The subscription's secret; or secrets, e.g. both while you switch to a rotated one. */
  secret?: string;
  secrets?: string[];
  body: WebhookBody;
  /** X-Signaling-Timestamp (unix seconds). */
  timestamp: string | number | undefined | null;
  /** X-Signaling-Signature: "v1=<hex>" or "v1=<new>,v1=<old>" during the service's rotation overlap. */
  signature: string | undefined | null;
  /** Reject timestamps further off than this. Default 300. */
  toleranceSeconds?: number;
  /** Current time in ms (tests). */
  now?: number;
}

/**
 * True when the timestamp is fresh and a v1= value is the HMAC of one of the secrets (constant-time compare).
 * @deprecated The X-Signaling-* headers are deprecated: use verifyStandardWebhook.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<boolean>;

/**
 * The X-Signaling-Signature value the service would send (for receivers' own tests).
 * @deprecated Use signStandardWebhook.
 */
export function signWebhook(options: { secret: string; body: WebhookBody; timestamp: string | number }): Promise<string>;
