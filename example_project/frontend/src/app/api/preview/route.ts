/**
 * `HEADLESS_PREVIEW_URL` points here (`https://www.example-clinic.com/api/preview`). The package
 * redirects an editor's preview to `?content_type=<app_label.model>&token=<signed token>`; the
 * token is checked by asking the package's preview endpoint for the draft. Only when it answers
 * 200 is draft mode entered, the token kept in an HttpOnly cookie and the editor sent to
 * `/preview`. An expired (401) or forged (403) token gets an error page and no content.
 */
import { draftMode } from "next/headers";
import { NextResponse, type NextRequest } from "next/server";
import { preview } from "@/lib/api";
import { PREVIEW_COOKIE, encodePreviewCookie } from "@/lib/preview";

export const dynamic = "force-dynamic";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(status: number, message: string): NextResponse {
  const title = status === 401 ? "This preview link has expired" : "This preview link is not valid";
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><meta name="robots" content="noindex"></head><body><main><h1>${title}</h1><p role="alert">${escapeHtml(message)}</p><p>Open the preview again from the editor.</p></main></body></html>`;
  return new NextResponse(body, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "private, no-store",
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
    },
  });
}

export async function GET(request: NextRequest): Promise<NextResponse> {
  const token = request.nextUrl.searchParams.get("token") ?? "";
  const contentType = request.nextUrl.searchParams.get("content_type") ?? "";
  const mode = await draftMode();
  if (!token) {
    mode.disable();
    return errorPage(401, "The preview link has no token.");
  }
  const result = await preview(token, contentType);
  if (!result.ok) {
    mode.disable();
    const status = result.error.status === 401 || result.error.status === 403 ? result.error.status : 400;
    return errorPage(status, result.error.message);
  }
  mode.enable();
  // A relative redirect: behind a proxy (or with `next start -H 127.0.0.1`) the request's own
  // origin may differ from the host the editor's browser used, and the cookies belong to that.
  const response = new NextResponse(null, { status: 303, headers: { Location: "/preview/" } });
  response.cookies.set(PREVIEW_COOKIE, encodePreviewCookie({ token, contentType }), {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 600,
  });
  response.headers.set("Cache-Control", "private, no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}
