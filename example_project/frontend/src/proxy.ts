/**
 * Requests with an article index's query parameters (`?treatment=`, `?page=`) go to
 * app/listing, rendered per request; every other page is cached until a webhook expires it.
 */
import { NextResponse, type NextRequest } from "next/server";

const LISTING_PARAMETERS = ["treatment", "page"];

export function proxy(request: NextRequest): NextResponse {
  const { pathname, searchParams, search } = request.nextUrl;
  if (!LISTING_PARAMETERS.some((name) => searchParams.has(name))) {
    return NextResponse.next();
  }
  const target = request.nextUrl.clone();
  target.pathname = `/listing${pathname}`;
  target.search = search;
  return NextResponse.rewrite(target);
}

export const config = {
  matcher: ["/((?!api/|_next/|preview/|treatments/|listing/|favicon.ico).*)"],
};
