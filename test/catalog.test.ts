import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CATALOG_PATH, renderCatalog } from "../tools/catalog.js";

describe("docs/catalog.md", () => {
  it("matches the models (run `npm run catalog` after changing one)", async () => {
    const rendered = await renderCatalog();
    expect(rendered).toContain("## engagements");
    expect(rendered).not.toContain("| ? |");
    expect(await readFile(CATALOG_PATH, "utf8")).toBe(rendered);
  }, 60_000);
});
