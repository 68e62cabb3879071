/** The cookie holding an editor's preview token while draft mode is on (HttpOnly, 10 minutes). */
export const PREVIEW_COOKIE = "acupuncture_preview";

export type PreviewCookie = { token: string; contentType: string };

export function encodePreviewCookie(value: PreviewCookie): string {
  return JSON.stringify(value);
}

export function decodePreviewCookie(raw: string | undefined): PreviewCookie | null {
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === "object" &&
      value !== null &&
      "token" in value &&
      "contentType" in value &&
      typeof value.token === "string" &&
      typeof value.contentType === "string"
    ) {
      return { token: value.token, contentType: value.contentType };
    }
  } catch {
    return null;
  }
  return null;
}
