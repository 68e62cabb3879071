/**
 * Every page of the Wagtail site, by its path: `pages/find/?html_path=` names the page, its
 * `meta.type` chooses the view. Nothing is built ahead: each path is rendered on its first
 * visit and kept until `/api/revalidate` (the package's webhook) says it changed.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { PageDetail } from "@/api/types";
import { ArticleView } from "@/components/ArticleView";
import { HomeView, IndexView, articleItems } from "@/components/PageViews";
import {
  ARTICLE_TYPE,
  INDEX_TYPE,
  findPage,
  isArticle,
  isArticleIndex,
  isHome,
  listPages,
  pathOf,
  treatments,
} from "@/lib/api";
import { siteUrl } from "@/lib/config";

export const dynamicParams = true;
export const revalidate = 3600;

/** Articles per page of an index, as the package's `ARTICLES_PER_PAGE` default. */
const PER_PAGE = 12;

type Params = { path?: string[] };
type SearchParams = { [key: string]: string | string[] | undefined };

export function generateStaticParams(): Params[] {
  return [];
}

function htmlPath(params: Params): string {
  const parts = (params.path ?? []).map((part) => encodeURIComponent(decodeURIComponent(part)));
  return parts.length ? `/${parts.join("/")}/` : "/";
}

async function load(params: Promise<Params>): Promise<PageDetail> {
  const result = await findPage(htmlPath(await params));
  if (!result.ok) {
    if (result.error.status === 404) notFound();
    throw new Error(result.error.message);
  }
  return result.data;
}

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const page = await load(params);
  const title = page.meta?.seo_title || page.title || "";
  const description =
    page.meta?.search_description || (isArticle(page) ? page.intro : undefined) || undefined;
  const path = pathOf(page.meta?.html_url) ?? "/";
  const origin = siteUrl();
  const canonical = origin ? `${origin}${path}` : path;
  const image = isArticle(page) ? page.hero_image?.renditions.large ?? page.hero_image?.renditions.medium : undefined;
  return {
    title,
    description,
    alternates: { canonical },
    openGraph: {
      title,
      description,
      url: canonical,
      type: isArticle(page) ? "article" : "website",
      images: image ? [{ url: image.url, width: image.width, height: image.height }] : undefined,
    },
  };
}

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

export default async function CmsPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<SearchParams>;
}) {
  const page = await load(params);
  if (isArticle(page)) {
    return <ArticleView page={page} />;
  }
  if (isArticleIndex(page)) {
    // Only an index reads the query string (so articles stay statically cached).
    const query = await searchParams;
    const treatment = one(query.treatment).trim();
    const pageNumber = Math.max(1, Number.parseInt(one(query.page), 10) || 1);
    const filter: Record<string, string> = {
      type: ARTICLE_TYPE,
      child_of: String(page.id),
      order: "-published_date",
      fields: "intro,hero_image,published_date",
      limit: String(PER_PAGE),
      offset: String((pageNumber - 1) * PER_PAGE),
    };
    if (treatment) filter.treatment = treatment;
    const [listing, filters] = await Promise.all([listPages(filter), treatments()]);
    if (!listing.ok) throw new Error(listing.error.message);
    return (
      <IndexView
        page={page}
        listing={listing.data}
        treatments={filters.ok ? filters.data : null}
        treatment={treatment}
        pageNumber={pageNumber}
        perPage={PER_PAGE}
      />
    );
  }
  if (isHome(page)) {
    const [latest, blogs] = await Promise.all([
      listPages({
        type: ARTICLE_TYPE,
        descendant_of: String(page.id),
        order: "-published_date",
        fields: "intro,hero_image,published_date",
        limit: "3",
      }),
      listPages({ type: INDEX_TYPE, child_of: String(page.id), limit: "1" }),
    ]);
    const blog = blogs.ok ? blogs.data.items[0] : undefined;
    return (
      <HomeView
        page={page}
        latest={latest.ok ? articleItems(latest.data) : []}
        blogPath={pathOf(blog?.meta?.html_url)}
      />
    );
  }
  notFound();
}
