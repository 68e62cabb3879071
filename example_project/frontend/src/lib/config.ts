/** Server-side settings of the starter, from the environment (see the README). */

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set (see README.md next to package.json)`);
  }
  return value;
}

/** The package's API, e.g. `http://127.0.0.1:8000/api/v2` (no trailing slash). */
export function apiUrl(): string {
  return required("WAGTAIL_API_URL").replace(/\/+$/, "");
}

/** The path of the API on the Wagtail site, as the webhooks name it (`/api/v2/`). */
export function apiPath(): string {
  return `${new URL(apiUrl()).pathname.replace(/\/+$/, "")}/`;
}

/** Shared secret of the revalidation webhook (`REVALIDATE_WEBHOOKS[...]["secret"]`). */
export function revalidateSecret(): string {
  return process.env.REVALIDATE_SECRET ?? "";
}

/** This frontend's public origin, for canonical and Open Graph URLs (optional). */
export function siteUrl(): string | null {
  const value = process.env.SITE_URL;
  return value ? value.replace(/\/+$/, "") : null;
}

/**
 * The Wagtail Site's root URL, as its absolute URLs name it (the Site record's hostname and
 * port): by default the API's origin. Links to it become paths of this frontend.
 */
export function wagtailSiteUrl(): string {
  return (process.env.WAGTAIL_SITE_URL || new URL(apiUrl()).origin).replace(/\/+$/, "");
}
