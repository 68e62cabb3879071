/**
 * Every body block type of the package's `ArticleStreamBlock`, rendered with the markup (and
 * class names) of the package's own block templates. Text is printed as text; only the fields
 * the schema types as rich text (`ParagraphBlock`, `RequiredRichTextBlock`, intros) go through
 * <RichText>. Links come only from fields the API has validated (`url`, `doi_url`,
 * `pubmed_url`: http(s), tel:, mailto: or page paths).
 */
import type {
  ArticleStreamBlock,
  ArticleStreamBlockChild,
  BookingCTABlock,
  FAQBlock,
  HeadingBlock,
  ImageBlock,
  KeyPointsBlock,
  NoticeBlock,
  QuoteBlock,
  ReferenceBlockItem,
  ReferencesBlock,
  RelatedTreatmentsBlock,
  Treatment,
} from "@/api/types";
import { siteHref } from "@/lib/api";
import type { CardHeading } from "./PageViews";
import { Picture } from "./Picture";
import { RichText } from "./RichText";

type Context = { articleSlug: string };

function Heading({ value }: { value: HeadingBlock }) {
  const Tag = value.level;
  return (
    <Tag className="acu-heading" id={value.anchor}>
      {value.text}
    </Tag>
  );
}

function KeyPoints({ value }: { value: KeyPointsBlock }) {
  return (
    <div className="acu-key-points">
      {value.heading ? <h3 className="acu-key-points__heading">{value.heading}</h3> : null}
      <ul className="acu-key-points__list">
        {value.items.map((item) => (
          <li className="acu-key-points__item" key={item.id}>
            <strong className="acu-key-points__title">{item.title}:</strong>{" "}
            <RichText className="acu-key-points__text" html={item.text} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ImageFigure({ value }: { value: ImageBlock }) {
  if (!value.image) return null;
  return (
    <figure className="acu-figure">
      <Picture className="acu-image" image={value.image} />
      {value.caption ? <figcaption className="acu-figure__caption">{value.caption}</figcaption> : null}
    </figure>
  );
}

function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, index) => (
        <span key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </span>
      ))}
    </>
  );
}

function Quote({ value }: { value: QuoteBlock }) {
  return (
    <figure className="acu-quote">
      <blockquote className="acu-quote__text">
        <p>
          <Lines text={value.text} />
        </p>
      </blockquote>
      {value.attribution ? (
        <figcaption className="acu-quote__attribution">{value.attribution}</figcaption>
      ) : null}
    </figure>
  );
}

/** The FAQ as native disclosures: each question opens with Enter or Space, by keyboard. */
function Faq({ value, id }: { value: FAQBlock; id: string }) {
  return (
    <section className="acu-faq" aria-labelledby={value.heading && value.anchor ? value.anchor : undefined}>
      {value.heading ? (
        <h2 className="acu-faq__heading" id={value.anchor ?? undefined}>
          {value.heading}
        </h2>
      ) : null}
      {value.intro ? <RichText className="acu-faq__intro" html={value.intro} /> : null}
      <div className="acu-faq__items" data-faq={id}>
        {value.items.map((item) => (
          <details className="acu-faq__item" id={`faq-${item.id}`} key={item.id}>
            <summary className="acu-faq__summary">
              <h3 className="acu-faq__question">{item.question}</h3>
            </summary>
            <RichText className="acu-faq__answer" html={item.answer} />
          </details>
        ))}
      </div>
    </section>
  );
}

/** What the package's NEW_TAB_NOTE says after the accessible name of a link opening a new tab. */
const NEW_TAB_NOTE = "(opens in a new tab)";

/**
 * The visually hidden end of a booking button's accessible name: who or what is booked
 * ("with <practitioner>") and, for new-tab links, the new-tab note, as the package's
 * booking_cta_button.html prints them (`accessible_name` is the label followed by both).
 */
function accessibleSuffix(value: BookingCTABlock): { context: string; newTab: string } {
  let rest = value.accessible_name.startsWith(value.label)
    ? value.accessible_name.slice(value.label.length).trim()
    : "";
  let newTab = "";
  if (value.new_tab) {
    newTab = NEW_TAB_NOTE;
    if (rest.endsWith(NEW_TAB_NOTE)) rest = rest.slice(0, -NEW_TAB_NOTE.length).trim();
  }
  return { context: rest, newTab };
}

/**
 * A booking box: the URL the package resolved (block, page, author or clinic), with UTM, and
 * the `data-booking-*` attributes the booking_click event reads (lib/bookingClick.ts). Without
 * a link there is nothing to show (the package renders nothing either).
 */
function BookingCta({ value, context }: { value: BookingCTABlock; context: Context }) {
  if (!value.url) return null;
  const data = {
    "data-cta-placement": value.placement,
    "data-cta-article": context.articleSlug || undefined,
  };
  const suffix = accessibleSuffix(value);
  return (
    <aside className={`acu-cta acu-cta--${value.placement}`} {...data}>
      {value.heading ? <p className="acu-cta__heading">{value.heading}</p> : null}
      {value.text ? (
        <p className="acu-cta__text">
          <Lines text={value.text} />
        </p>
      ) : null}
      <a
        className="acu-cta__button"
        href={value.url}
        {...data}
        data-booking-provider={value.provider ?? ""}
        data-booking-placement={value.placement}
        data-booking-practitioner={value.practitioner || undefined}
        target={value.new_tab ? "_blank" : undefined}
        rel={value.new_tab ? "noopener" : undefined}
      >
        {value.label}
        {suffix.context ? <span className="acu-visually-hidden"> {suffix.context}</span> : null}
        {suffix.newTab ? <span className="acu-visually-hidden"> {suffix.newTab}</span> : null}
      </a>
    </aside>
  );
}

/** One cited source, as the package's reference.html: the title links to `url`, else the DOI, else PubMed. */
function Reference({ value }: { value: ReferenceBlockItem }) {
  const link = value.url || value.doi_url || value.pubmed_url;
  return (
    <cite className="acu-reference">
      {value.authors ? (
        <>
          <span className="acu-reference__authors">{value.authors}</span>.{" "}
        </>
      ) : null}
      {link ? (
        <a className="acu-reference__title" href={link}>
          {value.title}
        </a>
      ) : (
        <span className="acu-reference__title">{value.title}</span>
      )}
      .
      {value.publisher ? (
        <>
          {" "}
          <span className="acu-reference__publisher">{value.publisher}</span>
          {value.year ? "." : null}
        </>
      ) : null}
      {value.year ? (
        <>
          {" "}
          <span className="acu-reference__year">{value.year}</span>
        </>
      ) : null}
      .
      {value.doi ? (
        <>
          {" "}DOI: {value.doi_url ? <a href={value.doi_url}>{value.doi}</a> : value.doi}.
        </>
      ) : null}
      {value.pmid ? (
        <>
          {" "}PMID: {value.pubmed_url ? <a href={value.pubmed_url}>{value.pmid}</a> : value.pmid}.
        </>
      ) : null}
    </cite>
  );
}

/** The sources the article cites, numbered. */
function References({ value }: { value: ReferencesBlock }) {
  return (
    <section className="acu-references">
      {value.heading ? <h2 className="acu-references__heading">{value.heading}</h2> : null}
      <ol className="acu-references__list">
        {value.items.map((item) => (
          <li className="acu-references__item" id={`ref-${item.id}`} key={item.id}>
            <Reference value={item} />
          </li>
        ))}
      </ol>
    </section>
  );
}

/** A notice inside its time window only (the API says whether it is, `active`). */
function Notice({ value }: { value: NoticeBlock }) {
  if (!value.active) return null;
  return (
    <aside
      className={`acu-notice acu-notice--${value.tone}`}
      role="note"
      data-notice-ends-at={value.ends_at ?? undefined}
    >
      <RichText html={value.text} />
    </aside>
  );
}

export function TreatmentCard({ treatment, heading: Heading = "h3" }: { treatment: Treatment; heading?: CardHeading }) {
  return (
    <article className="acu-card acu-card--treatment">
      {treatment.image ? (
        <Picture className="acu-card__image" image={treatment.image} alt="" sizes="20rem" />
      ) : null}
      <Heading className="acu-card__title">
        {treatment.url ? <a href={siteHref(treatment.url)}>{treatment.name}</a> : treatment.name}
      </Heading>
      {treatment.summary ? <p className="acu-card__text">{treatment.summary}</p> : null}
    </article>
  );
}

function RelatedTreatments({ value }: { value: RelatedTreatmentsBlock }) {
  if (value.treatments.length === 0) return null;
  return (
    <section className="acu-related-treatments-block">
      {value.heading ? <h2 className="acu-related-treatments-block__heading">{value.heading}</h2> : null}
      <ul className="acu-card-grid">
        {value.treatments.map((treatment) => (
          <li key={treatment.id}>
            <TreatmentCard treatment={treatment} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Block({ block, context }: { block: ArticleStreamBlockChild; context: Context }) {
  switch (block.type) {
    case "heading":
      return <Heading value={block.value} />;
    case "paragraph":
      return <RichText className="acu-paragraph" html={block.value} />;
    case "key_points":
      return <KeyPoints value={block.value} />;
    case "image":
      return <ImageFigure value={block.value} />;
    case "quote":
      return <Quote value={block.value} />;
    case "faq":
      return <Faq value={block.value} id={block.id} />;
    case "booking_cta":
      return <BookingCta value={block.value} context={context} />;
    case "notice":
      return <Notice value={block.value} />;
    case "related_treatments":
      return <RelatedTreatments value={block.value} />;
    case "references":
      return <References value={block.value} />;
    default: {
      // A block type the generated types do not know is a type error here.
      const unknown: never = block;
      return unknown;
    }
  }
}

/** Whether a body block is a booking call to action placed "Beside the text" (the sidebar). */
export function isSidebarBlock(block: ArticleStreamBlockChild): boolean {
  return block.type === "booking_cta" && block.value.placement === "sidebar";
}

/** The body's blocks in its flow: all but the sidebar's (see <Sidebar>). */
export function Body({ body, articleSlug }: { body: ArticleStreamBlock; articleSlug: string }) {
  return (
    <>
      {body
        .filter((block) => !isSidebarBlock(block))
        .map((block) => (
          <Block block={block} context={{ articleSlug }} key={block.id} />
        ))}
    </>
  );
}

/** The article's sidebar, as the package's article_sidebar.html: its sidebar calls to action. */
export function Sidebar({ body, articleSlug }: { body: ArticleStreamBlock; articleSlug: string }) {
  const blocks = body.filter(isSidebarBlock);
  if (blocks.length === 0) return null;
  return (
    <div className="acu-article__sidebar">
      {blocks.map((block) => (
        <Block block={block} context={{ articleSlug }} key={block.id} />
      ))}
    </div>
  );
}
