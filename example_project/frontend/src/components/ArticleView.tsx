import type { ArticlePage, Practitioner } from "@/api/types";
import { pathOf } from "@/lib/api";
import { jsonLdScript } from "@/lib/jsonld";
import { Body, Sidebar, TreatmentCard } from "./Blocks";
import { Picture } from "./Picture";
import { RichText } from "./RichText";

function formatDate(iso: string): string {
  const date = new Date(`${iso.slice(0, 10)}T12:00:00Z`);
  return date.toLocaleDateString("en-US", { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
}

function Person({ practitioner }: { practitioner: Practitioner }) {
  return practitioner.profile_url ? (
    <a href={practitioner.profile_url}>{practitioner.display_name}</a>
  ) : (
    <>{practitioner.display_name}</>
  );
}

/** The byline: author, publication date, medical reviewer and review date, reading time. */
function Byline({ page }: { page: ArticlePage }) {
  return (
    <p className="acu-byline">
      {page.author ? (
        <span className="acu-byline__author">
          By <Person practitioner={page.author} />
        </span>
      ) : null}
      {page.published_date ? (
        <span className="acu-byline__date">
          Published <time dateTime={page.published_date}>{formatDate(page.published_date)}</time>
        </span>
      ) : null}
      {page.reviewed_by ? (
        <span className="acu-byline__reviewer">
          Reviewed by <Person practitioner={page.reviewed_by} />
          {page.last_reviewed ? (
            <>
              {" "}
              on <time dateTime={page.last_reviewed}>{formatDate(page.last_reviewed)}</time>
            </>
          ) : null}
        </span>
      ) : null}
      <span className="acu-byline__reading-time">{page.reading_time_minutes} minute read</span>
    </p>
  );
}

/** An article as the package's article template lays it out, from the API's detail. */
export function ArticleView({ page }: { page: ArticlePage }) {
  const slug = page.meta.slug ?? "";
  return (
    <article className="acu-article">
      <script
        type="application/ld+json"
        dangerouslySetInnerHTML={{ __html: jsonLdScript(page.structured_data) }}
      />
      <header className="acu-article__header">
        <h1 className="acu-article__title">{page.title}</h1>
        {page.intro ? <p className="acu-article__intro">{page.intro}</p> : null}
        <Byline page={page} />
        {page.hero_image ? (
          <figure className="acu-article__hero">
            <Picture className="acu-image" image={page.hero_image} loading="eager" />
          </figure>
        ) : null}
      </header>
      {page.table_of_contents.length > 2 ? (
        <nav className="acu-toc" aria-labelledby="acu-toc-heading">
          <h2 id="acu-toc-heading">Contents</h2>
          <ol>
            {page.table_of_contents.map((entry) => (
              <li className={`acu-toc__item acu-toc__item--h${entry.level}`} key={entry.anchor}>
                <a href={`#${entry.anchor}`}>{entry.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      <div className="acu-article__layout">
        <div className="acu-article__body">
          <Body body={page.body} articleSlug={slug} />
        </div>
        <Sidebar body={page.body} articleSlug={slug} />
      </div>
      {page.medical_disclaimer ? (
        <aside className="acu-disclaimer" aria-label="Medical disclaimer">
          <RichText html={page.medical_disclaimer} />
        </aside>
      ) : null}
      {page.related_treatments.length > 0 ? (
        <section className="acu-related-treatments" aria-labelledby="acu-related-treatments-heading">
          <h2 id="acu-related-treatments-heading">Related treatments</h2>
          <ul className="acu-card-grid">
            {page.related_treatments.map((treatment) => (
              <li key={treatment.id}>
                <TreatmentCard treatment={treatment} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.related_articles.length > 0 ? (
        <section className="acu-related-articles" aria-labelledby="acu-related-articles-heading">
          <h2 id="acu-related-articles-heading">Related articles</h2>
          <ul className="acu-card-grid">
            {page.related_articles.map((article) => (
              <li key={article.id}>
                <article className="acu-card">
                  <h3 className="acu-card__title">
                    <a href={pathOf(article.url) ?? "#"}>{article.title}</a>
                  </h3>
                  {article.intro ? <p className="acu-card__text">{article.intro}</p> : null}
                </article>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </article>
  );
}
