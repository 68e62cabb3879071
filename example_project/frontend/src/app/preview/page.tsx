/**
 * The draft an editor previews, fetched on every request from the package's preview endpoint
 * with the token `/api/preview` checked and kept. Outside draft mode, or once the token has
 * expired, it shows an error and no content.
 */
import type { Metadata } from "next";
import { cookies, draftMode } from "next/headers";
import { ArticleView } from "@/components/ArticleView";
import { TreatmentCard } from "@/components/Blocks";
import { isArticle, preview } from "@/lib/api";
import { PREVIEW_COOKIE, decodePreviewCookie } from "@/lib/preview";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Preview", robots: { index: false, follow: false } };

function PreviewError({ message }: { message: string }) {
  return (
    <section className="message">
      <h1>Preview unavailable</h1>
      <p role="alert">{message}</p>
      <p>Open the preview again from the editor.</p>
    </section>
  );
}

export default async function Preview() {
  const { isEnabled } = await draftMode();
  const stored = decodePreviewCookie((await cookies()).get(PREVIEW_COOKIE)?.value);
  if (!isEnabled || !stored) {
    return <PreviewError message="No preview is open." />;
  }
  const result = await preview(stored.token, stored.contentType);
  if (!result.ok) {
    return <PreviewError message={result.error.message} />;
  }
  const banner = (
    <p className="preview-banner" role="status">
      Preview of unpublished changes
    </p>
  );
  if (result.data.kind === "treatment") {
    return (
      <>
        {banner}
        <TreatmentCard treatment={result.data.treatment} />
      </>
    );
  }
  const page = result.data.page;
  return (
    <>
      {banner}
      {isArticle(page) ? <ArticleView page={page} /> : <h1>{page.title}</h1>}
    </>
  );
}
