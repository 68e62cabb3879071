/**
 * Rich text as the API delivers it: HTML the package has already cleaned (allowlisted
 * elements, safe links) and expanded for the frontend. This is the only component that sets
 * inner HTML, and only API fields typed as rich text reach it.
 */
export function RichText({ html, className }: { html: string; className?: string }) {
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
