import { notFound } from "next/navigation";
import type { PageDetail } from "@/api/types";
import { findPage } from "./api";

/** The route parameters of a Wagtail path: `/blog/acupuncture-for-back-pain/` → `["blog", "…"]`. */
export type Params = { path?: string[] };

export function htmlPath(params: Params): string {
  const parts = (params.path ?? []).map((part) => encodeURIComponent(decodeURIComponent(part)));
  return parts.length ? `/${parts.join("/")}/` : "/";
}

/** The live page at the route's path; Next's 404 page when there is none. */
export async function loadPage(params: Params): Promise<PageDetail> {
  const result = await findPage(htmlPath(params));
  if (!result.ok) {
    if (result.error.status === 404) notFound();
    throw new Error(result.error.message);
  }
  return result.data;
}
