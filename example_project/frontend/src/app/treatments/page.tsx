import type { Metadata } from "next";
import type { Treatment } from "@/api/types";
import { TreatmentCard } from "@/components/Blocks";
import { treatments } from "@/lib/api";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Treatments" };

/** The published treatments (`treatments/`). */
export default async function Treatments() {
  const result = await treatments();
  if (!result.ok) throw new Error(result.error.message);
  const items = result.data.items.filter(
    (item): item is Treatment =>
      item.id !== undefined && item.name !== undefined && item.slug !== undefined,
  );
  return (
    <section>
      <h1>Treatments</h1>
      <ul className="acu-card-grid">
        {items.map((treatment) => (
          <li key={treatment.id}>
            <TreatmentCard treatment={treatment} heading="h2" />
          </li>
        ))}
      </ul>
    </section>
  );
}
