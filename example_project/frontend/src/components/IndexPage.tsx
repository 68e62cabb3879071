import type { ArticleIndexPage } from "@/api/types";
import { ARTICLE_TYPE, listPages, treatments } from "@/lib/api";
import { IndexView } from "./PageViews";

/** Articles per page of an index, as the package's `ARTICLES_PER_PAGE` default. */
export const PER_PAGE = 12;

/** An article index: one page of its articles, optionally only those of one treatment
 * (`pages/?treatment=<slug>`, as the index's own `?treatment=`). */
export async function IndexPage({
  page,
  treatment,
  pageNumber,
}: {
  page: ArticleIndexPage;
  treatment: string;
  pageNumber: number;
}) {
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
