import type { Image } from "@/api/types";

/** An image from its API renditions: a `srcset` of every rendition, the fallback as `src`. */
export function Picture({
  image,
  alt,
  className,
  sizes = "(min-width: 60rem) 60rem, 100vw",
  loading = "lazy",
}: {
  image: Image;
  alt?: string;
  className?: string;
  sizes?: string;
  loading?: "lazy" | "eager";
}) {
  // Crops (a different aspect ratio, such as the 3:2 thumbnail) stay out of the srcset.
  const ratio = image.width / image.height;
  const renditions = Object.values(image.renditions).filter(
    (rendition): rendition is NonNullable<typeof rendition> =>
      rendition !== undefined && Math.abs(rendition.width / rendition.height - ratio) < 0.02 * ratio,
  );
  const { fallback, medium } = image.renditions;
  const src = fallback ?? medium ?? renditions[0];
  if (!src) return null;
  const widths = new Map<number, string>();
  for (const rendition of renditions) {
    if (!widths.has(rendition.width)) widths.set(rendition.width, rendition.url);
  }
  const srcSet = [...widths].map(([width, url]) => `${url} ${width}w`).join(", ");
  return (
    // eslint-disable-next-line @next/next/no-img-element -- the API delivers the renditions
    <img
      className={className}
      src={src.url}
      srcSet={srcSet}
      sizes={sizes}
      width={src.width}
      height={src.height}
      alt={alt ?? image.alt}
      loading={loading}
    />
  );
}
