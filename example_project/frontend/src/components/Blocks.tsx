/**
 * Every body block type of the package's `ArticleStreamBlock`, rendered with the markup (and
 * class names) of the package's own block templates. Text is printed as text; only the fields
 * the schema types as rich text (`ParagraphBlock`, `RequiredRichTextBlock`, intros) go through
 * <RichText>.
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
  RelatedTreatmentsBlock,
  Treatment,
} from "@/api/types";
import { siteHref } from "@/lib/api";
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

/** A booking box: the URL the package resolved (block, page, author or clinic), with UTM. */
function BookingCta({ value, context }: { value: BookingCTABlock; context: Context }) {
  if (!value.url && !value.heading && !value.text) return null;
  const data = { "data-cta-placement": value.placement, "data-cta-article": context.articleSlug };
  return (
    <aside className={`acu-cta acu-cta--${value.placement}`} {...data}>
      {value.heading ? <p className="acu-cta__heading">{value.heading}</p> : null}
      {value.text ? (
        <p className="acu-cta__text">
          <Lines text={value.text} />
        </p>
      ) : null}
      {value.url ? (
        <a className="acu-cta__button" href={value.url} {...data}>
          {value.label || "Book a consultation"}
        </a>
      ) : null}
    </aside>
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

export function TreatmentCard({ treatment }: { treatment: Treatment }) {
  return (
    <article className="acu-card acu-card--treatment">
      {treatment.image ? (
        <Picture className="acu-card__image" image={treatment.image} alt="" sizes="20rem" />
      ) : null}
      <h3 className="acu-card__title">
        {treatment.url ? <a href={siteHref(treatment.url)}>{treatment.name}</a> : treatment.name}
      </h3>
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
    default: {
      // A block type the generated types do not know is a type error here.
      const unknown: never = block;
      return unknown;
    }
  }
}

export function Body({ body, articleSlug }: { body: ArticleStreamBlock; articleSlug: string }) {
  return (
    <>
      {body.map((block) => (
        <Block block={block} context={{ articleSlug }} key={block.id} />
      ))}
    </>
  );
}
