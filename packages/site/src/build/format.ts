/** Number formats shared by the build step and the page (no Node here: the page bundles it). */

/** Milliseconds as measured: whole ones as they are, others to a tenth. */
export const ms = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
