import type { ArticleIndexPage, ArticlePageItem, HomePage, PageListing, TreatmentListing } from "@/api/types";
import { ARTICLE_TYPE, pathOf } from "@/lib/api";
import { jsonLdScript } from "@/lib/jsonld";
import { Picture } from "./Picture";
import { RichText } from "./RichText";

/** Listing items that are articles (the listing's `type` asks for nothing else). */
export function articleItems(listing: PageListing): ArticlePageItem[] {
  return listing.items.filter((item): item is ArticlePageItem => item.meta?.type === ARTICLE_TYPE);
}

/** The level of a card's title: one below the heading of the list it is in. */
export type CardHeading = "h2" | "h3";

function ArticleCard({ article, heading: Heading }: { article: ArticlePageItem; heading: CardHeading }) {
  const href = pathOf(article.meta?.html_url) ?? "#";
  return (
    <article className="acu-card acu-card--article">
      {article.hero_image ? (
        <Picture className="acu-card__image" image={article.hero_image} alt="" sizes="20rem" />
      ) : null}
      <Heading className="acu-card__title">
        <a href={href}>{article.title}</a>
      </Heading>
      {article.intro ? <p className="acu-card__text">{article.intro}</p> : null}
    </article>
  );
}

export function ArticleList({ articles, heading }: { articles: ArticlePageItem[]; heading: CardHeading }) {
  if (articles.length === 0) return <p>No articles yet.</p>;
  return (
    <ul className="acu-card-grid">
      {articles.map((article) => (
        <li key={article.id}>
          <ArticleCard article={article} heading={heading} />
        </li>
      ))}
    </ul>
  );
}

export function HomeView({ page, latest, blogPath }: { page: HomePage; latest: ArticlePageItem[]; blogPath: string | null }) {
  return (
    <article className="home">
      <h1>{page.title}</h1>
      {page.intro ? <RichText className="home__intro" html={page.intro} /> : null}
      {page.body_text
        ? page.body_text
            .split(/\n\s*\n/)
            .map((paragraph, index) => <p key={index}>{paragraph}</p>)
        : null}
      <section aria-labelledby="latest-heading">
        <h2 id="latest-heading">Latest articles</h2>
        <ArticleList articles={latest} heading="h3" />
        {blogPath ? (
          <p>
            <a href={blogPath}>All articles</a>
          </p>
        ) : null}
      </section>
    </article>
  );
}

export function IndexView({
  page,
  listing,
  treatments,
  treatment,
  pageNumber,
  perPage,
}: {
  page: ArticleIndexPage;
  listing: PageListing;
  treatments: TreatmentListing | null;
  treatment: string;
  pageNumber: number;
  perPage: number;
}) {
  const path = pathOf(page.meta.html_url) ?? "/";
  const pages = Math.max(1, Math.ceil(listing.meta.total_count / perPage));
  const link = (n: number) => {
    const query = new URLSearchParams();
    if (treatment) query.set("treatment", treatment);
    if (n > 1) query.set("page", String(n));
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  return (
    <section className="acu-index">
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdScript(page.structured_data) }} />
      <h1>{page.title}</h1>
      {page.intro ? <RichText className="acu-index__intro" html={page.intro} /> : null}
      {treatments && treatments.items.length > 0 ? (
        <form className="acu-filter" method="get" action={path}>
          <label htmlFor="treatment-filter">Treatment</label>{" "}
          <select id="treatment-filter" name="treatment" defaultValue={treatment}>
            <option value="">All treatments</option>
            {treatments.items.map((item) => (
              <option key={item.id} value={item.slug}>
                {item.name}
              </option>
            ))}
          </select>{" "}
          <button type="submit">Filter</button>
        </form>
      ) : null}
      <ArticleList articles={articleItems(listing)} heading="h2" />
      {pages > 1 ? (
        <nav className="acu-pagination" aria-label="Pages">
          {pageNumber > 1 ? <a href={link(pageNumber - 1)}>Previous</a> : null}{" "}
          <span>
            Page {pageNumber} of {pages}
          </span>{" "}
          {pageNumber < pages ? <a href={link(pageNumber + 1)}>Next</a> : null}
        </nav>
      ) : null}
    </section>
  );
}
