/**
 * Keyed pseudonyms for personal data. Everything under dist/ can be downloaded by
 * every viewer, so visitor emails, IPs, names and identities are replaced by an
 * HMAC-SHA256 of the normalised value under a secret key before they reach a mart.
 * The same person gets the same pseudonym in every source (joins still work), and
 * without the key a pseudonym cannot be turned back or confirmed by guessing.
 */
import { createHmac } from "node:crypto";
import { isIP } from "node:net";

export type PersonalKind = "email" | "ip" | "name" | "identity";

/** Normalises a value so that spellings of the same thing give the same pseudonym. */
export function normalizePersonal(kind: PersonalKind, value: string): string {
  const trimmed = value.trim().normalize("NFC");
  switch (kind) {
    case "email":
      return trimmed.toLowerCase();
    case "ip":
      return normalizeIp(trimmed);
    case "name":
      return trimmed.toLowerCase().replace(/\s+/g, " ");
    case "identity":
      return trimmed;
  }
}

function normalizeIp(value: string): string {
  // node:net rejects zero-padded IPv4 ("010.001.002.003"), which some logs write.
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return value.split(".").map((part) => String(Number(part))).join(".");
  if (isIP(value) === 6) {
    // Expand and lower-case so "::1" and "0:0:0:0:0:0:0:1" agree.
    const [head = "", tail = ""] = value.toLowerCase().split("::");
    const headParts = head ? head.split(":") : [];
    const tailParts = value.includes("::") ? (tail ? tail.split(":") : []) : [];
    const missing = 8 - headParts.length - tailParts.length;
    const parts = value.includes("::") ? [...headParts, ...Array(missing).fill("0"), ...tailParts] : headParts;
    return parts.map((part) => part.replace(/^0+(?=.)/, "")).join(":");
  }
  return value.toLowerCase();
}

export type Pseudonymizer = (kind: PersonalKind, value: string | null | undefined) => string | null;

/**
 * Returns a function giving `<kind prefix>_<24 hex chars>` for a value, or null
 * for null/empty input. Emails and identities share one namespace on purpose:
 * an identity that is an email must meet the same email seen elsewhere.
 */
export function createPseudonymizer(key: string): Pseudonymizer {
  if (key.length < 16) throw new Error("the pseudonym key must be at least 16 characters");
  return (kind, value) => {
    if (value === null || value === undefined || value.trim() === "") return null;
    const looksLikeEmail = kind === "identity" && /^[^@\s]+@[^@\s]+$/.test(value.trim());
    const namespace = kind === "email" || looksLikeEmail ? "email" : kind;
    const normalized = normalizePersonal(namespace === "email" ? "email" : kind, value);
    const digest = createHmac("sha256", key).update(`${namespace}\u0000${normalized}`).digest("hex");
    return `${namespace === "email" ? "em" : namespace === "ip" ? "ip" : namespace === "name" ? "nm" : "id"}_${digest.slice(0, 24)}`;
  };
}
