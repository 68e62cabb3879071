"use client";

import { useEffect } from "react";
import { onBookingClick } from "@/lib/bookingClick";

/** Listens for clicks on booking buttons once per page and pushes `booking_click` (see lib/bookingClick). */
export function BookingClick() {
  useEffect(() => {
    document.addEventListener("click", onBookingClick, true);
    return () => document.removeEventListener("click", onBookingClick, true);
  }, []);
  return null;
}
