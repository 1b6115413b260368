import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibleShell, applyAccessibleShell, PAGER_NAV_LABEL, SIDEBAR_NAV_LABEL, SIDEBAR_TOGGLE_LABEL } from "../../tools/a11y-postprocess.js";
import { inlineScripts, pagePolicy, withPolicy } from "../../tools/csp.js";

/** A page as Framework 1.13.4 builds it (the shell of dist/index.html, the page's body cut short). */
const BUILT_PAGE = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
<meta name="generator" content="Observable Framework v1.13.4">
<title>Overview | Support Insights</title>
<script type="module">
import {define} from "./_observablehq/client.js";
define({id: "1", body: () => 1});
</script>
</head>
<body>
<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">
<label id="observablehq-sidebar-backdrop" for="observablehq-sidebar-toggle"></label>
<nav id="observablehq-sidebar">
  <ol>
    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>
    <li class="observablehq-link observablehq-link-active"><a href="./">Support Insights</a></li>
  </ol>
  <ol>
    <li class="observablehq-link observablehq-link-active"><a href="./">Overview</a></li>
    <li class="observablehq-link"><a href="./cobrowsing">Co-browsing</a></li>
  </ol>
</nav>
<script>{const e=document.querySelector("#observablehq-sidebar");}</script>
<div id="observablehq-center">
<main id="observablehq-main" class="observablehq">
<h1>Support overview</h1>
<p>Text with <a href="./data">a link</a>.</p>
</main>
<footer id="observablehq-footer">
<nav><a rel="next" href="./cobrowsing"><span>Co-browsing</span></a></nav>
<div>Support Insights · built from the project's own data lake</div>
</footer>
</div>
</body>
</html>
`;

describe("accessibleShell", () => {
  const fixed = accessibleShell(BUILT_PAGE);

  it("gives <html> a language", () => {
    expect(fixed).toContain('<html lang="en">');
    expect(accessibleShell(BUILT_PAGE.replace("<html>", '<html lang="de">'))).toContain('<html lang="de">');
  });

  it("lets the reader zoom: no maximum-scale in the viewport", () => {
    expect(fixed).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(accessibleShell(BUILT_PAGE.replace("maximum-scale=1", "user-scalable=no"))).toContain('content="width=device-width, initial-scale=1"');
  });

  it("names the sidebar toggle with aria-label, keeping its title", () => {
    expect(fixed).toContain(`<input id="observablehq-sidebar-toggle" aria-label="${SIDEBAR_TOGGLE_LABEL}" type="checkbox" title="Toggle sidebar">`);
  });

  it("moves the close label out of the list: every <ol> holds only <li>", () => {
    const sidebar = /<nav id="observablehq-sidebar"[\s\S]*?<\/nav>/.exec(fixed)?.[0] ?? "";
    expect(sidebar).toContain('<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>');
    for (const [, list] of sidebar.matchAll(/<ol>([\s\S]*?)<\/ol>/g)) {
      expect((list ?? "").replace(/<li\b[\s\S]*?<\/li>/g, "").trim()).toBe("");
    }
    expect(sidebar.indexOf("observablehq-sidebar-close")).toBeLessThan(sidebar.indexOf("<ol>"));
  });

  it("names both navigation landmarks, each differently", () => {
    expect(fixed).toContain(`<nav id="observablehq-sidebar" aria-label="${SIDEBAR_NAV_LABEL}">`);
    expect(fixed).toContain(`<footer id="observablehq-footer">\n<nav aria-label="${PAGER_NAV_LABEL}">`);
    expect(SIDEBAR_NAV_LABEL).not.toBe(PAGER_NAV_LABEL);
    expect(fixed.match(/<nav>/g)).toBeNull();
  });

  it("marks the current page's links with aria-current", () => {
    expect(fixed.match(/aria-current="page"/g)).toHaveLength(2);
    expect(fixed).toContain('<li class="observablehq-link"><a href="./cobrowsing">');
  });

  it("changes no script, so the CSP's hashes are the built page's", () => {
    expect(inlineScripts(fixed)).toEqual(inlineScripts(BUILT_PAGE));
    expect(pagePolicy(fixed).policy).toBe(pagePolicy(BUILT_PAGE).policy);
    // And the CSP step still finds where its meta goes.
    expect(withPolicy(fixed).html).toContain('<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy"');
  });

  it("is idempotent and leaves the page's own content alone", () => {
    expect(accessibleShell(fixed)).toBe(fixed);
    const main = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0];
    expect(main(fixed)).toBe(main(BUILT_PAGE));
  });
});

describe("Framework's shell", () => {
  it("is still written the way accessibleShell expects (check these corrections when Framework is upgraded)", async () => {
    const render = await readFile(fileURLToPath(new URL("../../node_modules/@observablehq/framework/dist/render.js", import.meta.url)), "utf8");
    expect(render).toContain('content="Observable Framework v${"1.13.4"}"');
    expect(render).toContain("<html>\n<head>");
    expect(render).toContain('<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">');
    expect(render).toContain('<input id="observablehq-sidebar-toggle" type="checkbox" title="Toggle sidebar">');
    expect(render).toContain('<nav id="observablehq-sidebar">\n  <ol>\n    <label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"></label>');
    expect(render).toContain('<footer id="observablehq-footer">${link ? renderPager(');
    expect(render).toContain("html`\\n<nav>${prev ?");
    expect(render).toContain('class="observablehq-link${normalizePath(page.path) === path ? " observablehq-link-active" : ""}"><a href=');
  });
});

describe("applyAccessibleShell", () => {
  let site: string;
  beforeAll(async () => {
    site = await mkdtemp(join(tmpdir(), "si-a11y-"));
    await mkdir(join(site, "agents"), { recursive: true });
    await writeFile(join(site, "index.html"), BUILT_PAGE);
    await writeFile(join(site, "agents", "someone.html"), BUILT_PAGE);
    await writeFile(join(site, "data.json"), "{}");
  });
  afterAll(async () => {
    await rm(site, { recursive: true, force: true });
  });

  it("corrects every page of a built site, and a second run changes nothing", async () => {
    expect(await applyAccessibleShell(site)).toEqual({ pages: 2, changed: 2 });
    expect(await readFile(join(site, "agents", "someone.html"), "utf8")).toBe(accessibleShell(BUILT_PAGE));
    expect(await readFile(join(site, "data.json"), "utf8")).toBe("{}");
    expect(await applyAccessibleShell(site)).toEqual({ pages: 2, changed: 0 });
  });
});
