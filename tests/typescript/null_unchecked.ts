// Compiled by tests/test_api_schema.py with `tsc --noEmit --strict` next to the generated api.d.ts:
// it must NOT compile. `geo` is `null` for a clinic without a location, so dereferencing it
// without a check has to be a type error ("'clinic.geo' is possibly 'null'").
import type { Clinic } from "./api";

export function latitude(clinic: Clinic): number {
  return clinic.geo.latitude;
}
