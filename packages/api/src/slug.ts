import { randomBytes } from "node:crypto";

const MAX_BASE_LENGTH = 60;

/**
 * A URL slug for a title: lowercase letters and digits of any script joined by dashes, plus a
 * random suffix so that two articles may share a title without a lookup or a retry. The slug is
 * fixed at creation, so links keep working when the title changes.
 */
export function slugify(title: string): string {
  const base = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_BASE_LENGTH)
    .replace(/-+$/, "");
  return `${base || "article"}-${randomSuffix()}`;
}

function randomSuffix(): string {
  // 8 base-36 characters: about 2.8e12 values, so a collision needs millions of equal titles.
  return BigInt(`0x${randomBytes(6).toString("hex")}`)
    .toString(36)
    .padStart(8, "0")
    .slice(-8);
}
