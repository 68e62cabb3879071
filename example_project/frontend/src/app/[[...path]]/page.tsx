/**
 * Every page of the Wagtail site, by its path: `pages/find/?html_path=` names the page, its
 * `meta.type` chooses the view. Nothing is built ahead: each path is rendered on its first
 * visit and kept until `/api/revalidate` (the package's webhook) says it changed.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ArticleView } from "@/components/ArticleView";
import { IndexPage } from "@/components/IndexPage";
import { HomeView, articleItems } from "@/components/PageViews";
import { ARTICLE_TYPE, INDEX_TYPE, isArticle, isArticleIndex, isHome, listPages, pathOf } from "@/lib/api";
import { siteUrl } from "@/lib/config";
import { type Params, loadPage } from "@/lib/pages";

export const dynamicParams = true;
export const revalidate = 3600;

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const page = await loadPage(await params);
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

export function generateStaticParams(): Params[] {
  return [];
}

export default async function CmsPage({ params }: { params: Promise<Params> }) {
  const page = await loadPage(await params);
  if (isArticle(page)) {
    return <ArticleView page={page} />;
  }
  if (isArticleIndex(page)) {
    // The first page, unfiltered. `?treatment=` and `?page=` are rendered on each request by
    // app/listing (src/proxy.ts rewrites them there), so this route never reads the query
    // string and stays cached until revalidated.
    return <IndexPage page={page} treatment="" pageNumber={1} />;
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
