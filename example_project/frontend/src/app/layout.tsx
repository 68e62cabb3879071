import type { ReactNode } from "react";
import { BookingClick } from "@/components/BookingClick";
import { SiteFooter, SiteHeader } from "@/components/Layout";
import { clinic } from "@/lib/api";
import "./globals.css";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const details = await clinic();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <SiteHeader clinic={details} />
        <main id="main">{children}</main>
        <SiteFooter clinic={details} />
        <BookingClick />
      </body>
    </html>
  );
}
