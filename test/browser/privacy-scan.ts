/**
 * The privacy scan's matcher, apart from the built site so that it can be tested on
 * crafted text. Whole values are not enough: a parser's error message quotes about ten
 * characters of a record ("visitor@exa"), so emails, names, IPs and secret links are
 * also searched for by fragment: every 8-character substring (any longer substring
 * holds one), and for an IP its first three octets.
 */

/** What a sensitive value is, which decides the fragments searched for. */
export type SensitiveKind = "email" | "name" | "ip" | "link" | "text" | "secret";

export const FRAGMENT_LENGTH = 8;

function windows(text: string, length = FRAGMENT_LENGTH): string[] {
  const out: string[] = [];
  for (let start = 0; start + length <= text.length; start++) out.push(text.slice(start, start + length));
  return out;
}

/**
 * The fragments of a value that must not appear in the site. Emails: every window of
 * the address holding its "@" or inside its local part (a window of the domain alone,
 * "example.", says nothing of a person). Names: every window. IPv4: the first three
 * octets with their dot ("198.51.100."). Links: every window after the host (the
 * secret part). Text and secrets are searched whole only (a window of a sentence is
 * ordinary words).
 */
export function fragmentsOf(kind: SensitiveKind, value: string): string[] {
  const trimmed = value.trim();
  switch (kind) {
    case "email": {
      const at = trimmed.indexOf("@");
      return windows(trimmed).filter((_window, start) => at < 0 || start <= at);
    }
    case "name":
      return windows(trimmed);
    case "ip": {
      const octets = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(trimmed);
      if (octets) return [`${octets[1]}.${octets[2]}.${octets[3]}.`];
      const groups = trimmed.split(":");
      return groups.length >= 4 ? [`${groups.slice(0, 3).join(":")}:`] : [];
    }
    case "link": {
      const host = /^[a-z]+:\/\/[^/]+/i.exec(trimmed)?.[0] ?? "";
      return windows(trimmed.slice(host.length));
    }
    case "text":
    case "secret":
      return [];
  }
}

/** Lower case, and any of space, dot, dash and underscore as a dash. */
function loose(text: string): string {
  return text.toLowerCase().replace(/[\s._-]/g, "-");
}

export interface SensitiveValue {
  kind: SensitiveKind;
  value: string;
}

/** A matcher over text: whole values (at least 8 characters, or 5 with a space) and their fragments, in one pass. */
export class PrivacyScanner {
  /** Whole values of 8 characters or more, by their first 8 characters: one pass over a text finds them all. */
  private readonly wholeByStart = new Map<string, string[]>();
  /** Whole values of 5 to 7 characters with a space (a short name). */
  private readonly shortWhole: string[] = [];
  private readonly fragments = new Map<string, string>();
  private readonly ipPrefixes = new Map<string, string>();
  private readonly ipv6Prefixes = new Map<string, string>();

  /**
   * `published` are texts shown on purpose (agent names, survey options): a fragment
   * inside one is not searched, compared without case and with spaces, dots, dashes and
   * underscores alike (an agent "Grace Nakamura" is also the key "grace-nakamura", and
   * a visitor may be grace.nakamura638@...).
   */
  constructor(values: Iterable<SensitiveValue>, published: readonly string[] = []) {
    const whole = new Set<string>();
    const shown = new Set(published.flatMap((text) => windows(loose(text))));
    for (const { kind, value } of values) {
      const trimmed = value.trim();
      if (trimmed.length >= FRAGMENT_LENGTH) whole.add(trimmed);
      else if (trimmed.length >= 5 && /\s/.test(trimmed)) this.shortWhole.push(trimmed);
      for (const fragment of fragmentsOf(kind, trimmed)) {
        if (kind === "ip") (fragment.includes(":") ? this.ipv6Prefixes : this.ipPrefixes).set(fragment, trimmed);
        else if (!shown.has(loose(fragment))) this.fragments.set(fragment, trimmed);
      }
    }
    for (const value of whole) {
      const start = value.slice(0, FRAGMENT_LENGTH);
      const list = this.wholeByStart.get(start);
      if (list) list.push(value);
      else this.wholeByStart.set(start, [value]);
    }
  }

  get size(): number {
    let whole = this.shortWhole.length;
    for (const list of this.wholeByStart.values()) whole += list.length;
    return whole + this.fragments.size + this.ipPrefixes.size + this.ipv6Prefixes.size;
  }

  /** What `text` gives away, at most `limit` findings. */
  findings(text: string, limit = 20): string[] {
    const found: string[] = [];
    for (const value of this.shortWhole) {
      if (found.length >= limit) return found;
      if (text.includes(value)) found.push(`contains "${value}"`);
    }
    for (let start = 0; start + FRAGMENT_LENGTH <= text.length && found.length < limit; start++) {
      const window = text.slice(start, start + FRAGMENT_LENGTH);
      const wholeValue = this.wholeByStart.get(window)?.find((value) => text.startsWith(value, start));
      if (wholeValue !== undefined) {
        found.push(`contains "${wholeValue.slice(0, 40)}"`);
        start += wholeValue.length - 1;
        continue;
      }
      const of = this.fragments.get(window);
      if (of !== undefined) {
        found.push(`contains "${window}", a fragment of "${of.slice(0, 40)}"`);
        start += FRAGMENT_LENGTH - 1;
      }
    }
    for (const [prefix, of] of this.ipv6Prefixes) {
      if (found.length >= limit) return found;
      if (text.includes(prefix)) found.push(`contains "${prefix}", the network of "${of}"`);
    }
    for (const match of text.matchAll(/(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\./g)) {
      if (found.length >= limit) break;
      const of = this.ipPrefixes.get(match[0]);
      if (of !== undefined) found.push(`contains "${match[0]}", the network of "${of}"`);
    }
    return found;
  }
}
