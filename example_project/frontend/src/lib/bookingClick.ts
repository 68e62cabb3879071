/**
 * The `booking_click` dataLayer event, the same as the package's
 * wagtail_acupuncture/static/wagtail_acupuncture/js/booking-click.js (keep the two in step):
 *
 * - a click on a link with `data-booking-provider` pushes
 *   `{event: "booking_click", provider, placement, practitioner}` to `window.dataLayer`, read
 *   from its `data-booking-*` attributes - nothing else: no article, condition or treatment name,
 *   since those tell what the reader may be treated for (health data);
 * - only with analytics consent: `<html data-acupuncture-consent="granted">` (set by the site's
 *   consent banner; "denied" blocks), else the last Google Consent Mode command in the dataLayer
 *   (`gtag("consent", "default" | "update", {analytics_storage: "granted"})`). No consent, no push.
 */

export type BookingClickEvent = {
  event: "booking_click";
  provider: string | null;
  placement: string | null;
  practitioner: string | null;
};

type ConsentFields = { analytics_storage?: unknown };

declare global {
  interface Window {
    dataLayer?: unknown[];
  }
}

function isConsentCommand(entry: unknown): entry is ArrayLike<unknown> & { 0: unknown; 2: ConsentFields } {
  if (entry === null || typeof entry !== "object" || !("length" in entry)) return false;
  const command = entry as ArrayLike<unknown>;
  return command[0] === "consent" && typeof command[2] === "object" && command[2] !== null;
}

/** The analytics_storage state of the last Consent Mode command that sets it, or null. */
export function consentMode(layer: readonly unknown[]): unknown {
  let state: unknown = null;
  for (const entry of layer) {
    if (isConsentCommand(entry) && entry[2].analytics_storage) {
      state = entry[2].analytics_storage;
    }
  }
  return state;
}

/** Whether the reader consented to analytics (the html attribute first, then Consent Mode). */
export function hasConsent(root: Element, layer: readonly unknown[]): boolean {
  const attribute = root.getAttribute("data-acupuncture-consent");
  if (attribute) return attribute === "granted";
  return consentMode(layer) === "granted";
}

/** The event of one booking link, from its data-booking-* attributes. */
export function bookingClickPayload(link: Element): BookingClickEvent {
  return {
    event: "booking_click",
    provider: link.getAttribute("data-booking-provider") || null,
    placement: link.getAttribute("data-booking-placement") || null,
    practitioner: link.getAttribute("data-booking-practitioner") || null,
  };
}

/** The document's click listener (capture phase, like the package's script). */
export function onBookingClick(event: MouseEvent): void {
  const target = event.target;
  const link = target instanceof Element ? target.closest("a[data-booking-provider]") : null;
  if (!link || !hasConsent(document.documentElement, window.dataLayer ?? [])) return;
  window.dataLayer = window.dataLayer ?? [];
  window.dataLayer.push(bookingClickPayload(link));
}
