import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Wagtail's URLs end with a slash; the starter's do too, so paths match the webhooks'.
  trailingSlash: true,
  reactStrictMode: true,
  async headers() {
    // Previews carry a token: never cached, never indexed, never sent on in a Referer header.
    // The admin's preview panel frames them (set ADMIN_ORIGIN to the Wagtail admin's origin).
    const frameAncestors = process.env.ADMIN_ORIGIN ? `'self' ${process.env.ADMIN_ORIGIN}` : "'self'";
    const previewHeaders = [
      { key: "Cache-Control", value: "private, no-store" },
      { key: "Referrer-Policy", value: "no-referrer" },
      { key: "X-Robots-Tag", value: "noindex" },
      { key: "Content-Security-Policy", value: `frame-ancestors ${frameAncestors}` },
    ];
    return [
      { source: "/preview", headers: previewHeaders },
      { source: "/api/preview", headers: previewHeaders },
    ];
  },
};

export default nextConfig;
