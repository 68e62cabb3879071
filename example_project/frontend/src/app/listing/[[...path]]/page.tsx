/**
 * An article index with `?treatment=` or `?page=`, rendered on every request (its data still
 * comes from Next's cache, expired by the webhooks). `src/proxy.ts` rewrites such requests here,
 * so the index's own path keeps its canonical URL.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { IndexPage } from "@/components/IndexPage";
import { isArticleIndex, pathOf } from "@/lib/api";
import { siteUrl } from "@/lib/config";
import { type Params, loadPage } from "@/lib/pages";

export const dynamic = "force-dynamic";

type SearchParams = { [key: string]: string | string[] | undefined };

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

/** The index's own title and description; the canonical URL is the unfiltered index. */
export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const page = await loadPage(await params);
  const path = pathOf(page.meta?.html_url) ?? "/";
  const title = page.meta?.seo_title || page.title || "";
  return {
    title,
    description: page.meta?.search_description || undefined,
    alternates: { canonical: `${siteUrl() ?? ""}${path}` },
  };
}

export default async function FilteredIndex({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<SearchParams>;
}) {
  const page = await loadPage(await params);
  if (!isArticleIndex(page)) notFound();
  const query = await searchParams;
  const pageNumber = Math.max(1, Number.parseInt(one(query.page), 10) || 1);
  return <IndexPage page={page} treatment={one(query.treatment).trim()} pageNumber={pageNumber} />;
}
