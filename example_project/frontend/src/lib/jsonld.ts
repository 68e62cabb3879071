/**
 * JSON-LD for a `<script type="application/ld+json">`: JSON with `<`, `>`, `&` and the line
 * separators escaped, so text an editor typed (`</script>`, say) cannot end the script element.
 */
export function jsonLdScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
