/**
 * The package's revalidation webhook (`REVALIDATE_WEBHOOKS`: `{"url": ".../api/revalidate",
 * "secret": REVALIDATE_SECRET}`). The HMAC is checked over the raw body, in constant time,
 * before the body is parsed; a bad or stale signature is a 401. Then every path the webhook
 * names is revalidated: site paths with `revalidatePath`, API paths with `revalidateTag` (the
 * API client tags each read with its path), and, since listings are read with query strings
 * the webhook cannot name, every API read (`API_TAG`).
 */
import { revalidatePath, revalidateTag } from "next/cache";
import { NextResponse, type NextRequest } from "next/server";
import { API_TAG } from "@/lib/api";
import { apiPath, revalidateSecret } from "@/lib/config";
import { SIGNATURE_HEADER, verifySignature } from "@/lib/signature";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type WebhookPayload = { id: string; event: string; paths: string[] };

function parse(body: Buffer): WebhookPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf-8"));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { id, event, paths } = value as Record<string, unknown>;
  if (typeof id !== "string" || typeof event !== "string" || !Array.isArray(paths)) return null;
  return { id, event, paths: paths.filter((path): path is string => typeof path === "string") };
}

export async function POST(request: NextRequest): Promise<NextResponse> {
  const body = Buffer.from(await request.arrayBuffer());
  if (!verifySignature(body, request.headers.get(SIGNATURE_HEADER), revalidateSecret())) {
    return NextResponse.json({ message: "invalid signature" }, { status: 401 });
  }
  const payload = parse(body);
  if (!payload) {
    return NextResponse.json({ message: "invalid payload" }, { status: 400 });
  }
  const api = apiPath();
  const pages: string[] = [];
  for (const path of payload.paths) {
    if (path.startsWith(api)) {
      revalidateTag(path.slice(0, 256), { expire: 0 });
    } else if (path.startsWith("/")) {
      const pathname = path.split("?", 1)[0] ?? path;
      // Wagtail's paths end with "/" (next.config: trailingSlash); both spellings are expired.
      revalidatePath(pathname);
      if (pathname.length > 1) revalidatePath(pathname.replace(/\/+$/, ""));
      pages.push(pathname);
    }
  }
  revalidateTag(API_TAG, { expire: 0 });
  return NextResponse.json({ revalidated: true, id: payload.id, paths: pages });
}
