/*
 * wagtail-acupuncture: a consent-aware `booking_click` event for booking buttons.
 *
 * A click on a link with `data-booking-provider` pushes
 *   {event: "booking_click", provider, placement, practitioner}
 * to `window.dataLayer` (Google Tag Manager's queue) - nothing else: no article, condition or
 * treatment name, since those tell what the reader may be treated for (health data).
 *
 * Only with analytics consent: `<html data-acupuncture-consent="granted">` (set by the site's
 * consent banner; "denied" blocks), else the last Google Consent Mode command in the dataLayer
 * (`gtag("consent", "default" | "update", {analytics_storage: "granted"})`). No consent, no push.
 */
(function () {
  "use strict";
  if (window.acupunctureBookingClick) {
    return; // the script is included once per button; listen once
  }

  function consentMode() {
    var layer = window.dataLayer || [];
    var state = null;
    for (var i = 0; i < layer.length; i += 1) {
      var entry = layer[i];
      if (entry && entry[0] === "consent" && entry[2] && typeof entry[2] === "object") {
        if (entry[2].analytics_storage) {
          state = entry[2].analytics_storage;
        }
      }
    }
    return state;
  }

  function hasConsent() {
    var attribute = document.documentElement.getAttribute("data-acupuncture-consent");
    if (attribute) {
      return attribute === "granted";
    }
    return consentMode() === "granted";
  }

  function payload(link) {
    return {
      event: "booking_click",
      provider: link.getAttribute("data-booking-provider") || null,
      placement: link.getAttribute("data-booking-placement") || null,
      practitioner: link.getAttribute("data-booking-practitioner") || null,
    };
  }

  function onClick(event) {
    var link = event.target && event.target.closest ? event.target.closest("a[data-booking-provider]") : null;
    if (!link || !hasConsent()) {
      return;
    }
    window.dataLayer = window.dataLayer || [];
    window.dataLayer.push(payload(link));
  }

  window.acupunctureBookingClick = { hasConsent: hasConsent, payload: payload };
  document.addEventListener("click", onClick, true);
})();
