import type { Clinic } from "@/api/types";

/** Header and footer from the clinic's settings (`clinic/`), all printed as text. */
export function SiteHeader({ clinic }: { clinic: Clinic | null }) {
  return (
    <header className="site-header">
      <a className="site-header__name" href="/">
        {clinic?.name || "Clinic"}
      </a>
      <nav aria-label="Main">
        <ul>
          <li>
            <a href="/blog/">Articles</a>
          </li>
          <li>
            <a href="/treatments/">Treatments</a>
          </li>
          {clinic?.booking_url ? (
            <li>
              <a className="site-header__book" href={clinic.booking_url}>
                Book a consultation
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
    </header>
  );
}

export function SiteFooter({ clinic }: { clinic: Clinic | null }) {
  if (!clinic) return <footer className="site-footer" />;
  const { address } = clinic;
  const lines = [
    address.street_address,
    [address.postal_code, address.address_locality, address.address_region].filter(Boolean).join(" "),
    address.address_country,
  ].filter(Boolean);
  return (
    <footer className="site-footer">
      <p className="site-footer__name">{clinic.name}</p>
      {lines.length > 0 ? (
        <address>
          {lines.map((line) => (
            <span key={line}>
              {line}
              <br />
            </span>
          ))}
        </address>
      ) : null}
      {clinic.phone ? (
        <p>
          <a href={`tel:${clinic.phone.replace(/[^+\d]/g, "")}`}>{clinic.phone}</a>
        </p>
      ) : null}
      {clinic.opening_hours.length > 0 ? (
        <ul className="site-footer__hours" aria-label="Opening hours">
          {clinic.opening_hours.map((row) => (
            <li key={`${row.days.join("-")}-${row.opens}`}>
              {row.days.map((day) => day.slice(0, 1).toUpperCase() + day.slice(1, 3)).join(", ")}{" "}
              {row.opens.slice(0, 5)}–{row.closes.slice(0, 5)}
            </li>
          ))}
        </ul>
      ) : null}
    </footer>
  );
}
