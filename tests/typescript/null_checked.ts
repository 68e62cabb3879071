// Compiled by tests/test_api_schema.py with `tsc --noEmit --strict` next to the generated api.d.ts:
// it must compile. The API sends `null` for a clinic without a location and an image without a
// focal point, so the generated types must allow it, and code that checks for it must compile.
import type { Clinic, Image } from "./api";

export const clinicWithoutLocation: Clinic["geo"] = null;
export const imageWithoutFocalPoint: Image["focal_point"] = null;

export function mapQuery(clinic: Clinic): string | null {
  if (clinic.geo === null) {
    return null;
  }
  return `${clinic.geo.latitude},${clinic.geo.longitude}`;
}

export function focalCentreX(image: Image): number {
  return image.focal_point ? image.focal_point.x : image.width / 2;
}
