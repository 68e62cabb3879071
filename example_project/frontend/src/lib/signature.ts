/**
 * The package's webhook signature (`wagtail_acupuncture.delivery.webhooks`):
 * `X-Acupuncture-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + raw body>`, keyed
 * with the receiver's secret. Several `v1` values may be given; one must match.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-acupuncture-signature";
export const TOLERANCE_SECONDS = 300;

export function verifySignature(
  body: Buffer,
  header: string | null,
  secret: string,
  { toleranceSeconds = TOLERANCE_SECONDS, now = Date.now() / 1000 } = {},
): boolean {
  if (!header || !secret) return false;
  const timestamps: string[] = [];
  const signatures: string[] = [];
  for (const item of header.split(",")) {
    const [key = "", value = ""] = item.trim().split("=", 2);
    if (key === "t") timestamps.push(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value);
  }
  const [timestamp] = timestamps;
  if (timestamps.length !== 1 || !timestamp || !/^\d+$/.test(timestamp) || signatures.length === 0) {
    return false;
  }
  if (Math.abs(now - Number(timestamp)) > toleranceSeconds) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
  return signatures.some((signature) => {
    const given = Buffer.from(signature, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
