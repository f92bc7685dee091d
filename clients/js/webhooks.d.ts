// Type declarations for @signaling-api/client/webhooks (Node receivers).

export interface VerifyWebhookOptions {
  /** The subscription's secret; or secrets, e.g. both while you switch to a rotated one. */
  secret?: string;
  secrets?: string[];
  /** The raw request body, before any JSON parsing. */
  body: Uint8Array | ArrayBuffer | string;
  /** X-Signaling-Timestamp (unix seconds). */
  timestamp: string | number | undefined | null;
  /** X-Signaling-Signature: "v1=<hex>" or "v1=<new>,v1=<old>" during the service's rotation overlap. */
  signature: string | undefined | null;
  /** Reject timestamps further off than this. Default 300. */
  toleranceSeconds?: number;
  /** Current time in ms (tests). */
  now?: number;
}

/** True when the timestamp is fresh and a v1= value is the HMAC of one of the secrets (constant-time compare). */
export function verifyWebhookSignature(options: VerifyWebhookOptions): Promise<boolean>;

/** The X-Signaling-Signature value the service would send (for receivers' own tests). */
export function signWebhook(options: { secret: string; body: Uint8Array | ArrayBuffer | string; timestamp: string | number }): Promise<string>;
