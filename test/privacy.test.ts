import { describe, expect, it } from "vitest";
import { createPseudonymizer, normalizePersonal } from "../data-loaders/privacy.js";

const pseudonym = createPseudonymizer("a-test-key-that-is-long-enough");

describe("pseudonyms", () => {
  it("give the same pseudonym to spellings of the same email, across sources", () => {
    const a = pseudonym("email", "Jane.Doe@Example.com ");
    expect(a).toBe(pseudonym("email", "jane.doe@example.com"));
    expect(a).toMatch(/^em_[0-9a-f]{24}$/);
    // An Upscope identity that is an email meets the same email from LivePerson.
    expect(pseudonym("identity", "jane.doe@example.com")).toBe(a);
  });

  it("never contain the value, and differ by key and by kind", () => {
    const value = "jane.doe@example.com";
    expect(pseudonym("email", value)).not.toContain("jane");
    expect(createPseudonymizer("another-key-that-is-long-enough")("email", value)).not.toBe(pseudonym("email", value));
    expect(pseudonym("name", "Jane")).not.toBe(pseudonym("identity", "Jane"));
  });

  it("normalise IPs so equivalent spellings agree", () => {
    expect(normalizePersonal("ip", "010.001.002.003")).toBe("10.1.2.3");
    expect(pseudonym("ip", "::1")).toBe(pseudonym("ip", "0:0:0:0:0:0:0:1"));
    expect(pseudonym("ip", "2001:DB8::1")).toBe(pseudonym("ip", "2001:db8:0:0:0:0:0:1"));
    expect(pseudonym("ip", "10.0.0.1")).not.toBe(pseudonym("ip", "10.0.0.2"));
  });

  it("map empty input to null rather than a pseudonym of nothing", () => {
    expect(pseudonym("email", null)).toBeNull();
    expect(pseudonym("email", undefined)).toBeNull();
    expect(pseudonym("name", "   ")).toBeNull();
  });

  it("refuse a short key", () => {
    expect(() => createPseudonymizer("short")).toThrow(/at least 16/);
  });
});
