/**
 * Accessibility corrections to the page shell Observable Framework 1.13.4 writes
 * around every page (src/render.js in Framework), applied to the built HTML after
 * `observable build` and before the Content-Security-Policy (tools/csp.ts). The
 * shell is Framework's and has no setting for any of these, so the build corrects
 * them rather than leaving them (WCAG 2.2 AA, checked by axe-core in
 * test/browser/accessibility.test.ts):
 *
 * - `<html>` has no `lang`, so screen readers guess the language (3.1.1);
 * - the viewport meta says `maximum-scale=1`, which stops a reader zooming (1.4.4);
 * - the sidebar toggle (a checkbox) is named only by its `title`, which not every
 *   screen reader announces (4.1.2): it gets an `aria-label`;
 * - the sidebar's close `<label>` sits directly in an `<ol>`, where only `<li>` may
 *   (1.3.1): it moves to just before that list, inside the same `<nav>` (it is
 *   positioned absolutely against the sidebar, so it shows where it did);
 * - the sidebar and the footer's previous/next links are both `<nav>` landmarks
 *   with no name: each gets its own `aria-label`;
 * - the sidebar marks the current page by a class only: its link also gets
 *   `aria-current="page"`, so it is announced as the current page, not by colour alone.
 *
 * Only element attributes and the close label's place change; no script's text is
 * touched, so the script hashes the CSP lists stay those of the page as built. Each
 * correction is idempotent: a page run through twice is the same as run once.
 */
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const PAGE_LANGUAGE = "en";
export const SIDEBAR_TOGGLE_LABEL = "Toggle sidebar";
export const SIDEBAR_NAV_LABEL = "Site pages";
export const PAGER_NAV_LABEL = "Previous and next page";

/** The built page with Framework's shell corrected (see the module comment). */
export function accessibleShell(html: string): string {
  let out = html;
  // lang on <html> (an existing one is kept).
  out = out.replace(/<html(?![^>]*\blang=)([^>]*)>/i, `<html lang="${PAGE_LANGUAGE}"$1>`);
  // Let the reader zoom: drop maximum-scale and user-scalable=no from the viewport.
  out = out.replace(/(<meta\s+name="viewport"\s+content=")([^"]*)(")/i, (_match, start: string, content: string, end: string) => {
    const kept = content
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "" && !/^maximum-scale\s*=/i.test(part) && !/^user-scalable\s*=\s*(no|0)$/i.test(part));
    return `${start}${kept.join(", ")}${end}`;
  });
  // The sidebar toggle: a name screen readers announce.
  out = out.replace(/<input id="observablehq-sidebar-toggle"(?![^>]*\baria-label=)([^>]*)>/, `<input id="observablehq-sidebar-toggle" aria-label="${SIDEBAR_TOGGLE_LABEL}"$1>`);
  // The sidebar's close label out of the <ol> it was put in.
  out = out.replace(
    /<ol>(\s*)(<label id="observablehq-sidebar-close" for="observablehq-sidebar-toggle"><\/label>)\s*/,
    (_match, space: string, label: string) => `${label}${space}<ol>${space}`,
  );
  // Named landmarks: the sidebar and the footer's pager.
  out = out.replace(/<nav id="observablehq-sidebar"(?![^>]*\baria-label=)([^>]*)>/, `<nav id="observablehq-sidebar" aria-label="${SIDEBAR_NAV_LABEL}"$1>`);
  out = out.replace(/(<footer id="observablehq-footer">\s*)<nav>/, `$1<nav aria-label="${PAGER_NAV_LABEL}">`);
  out = out.replace(/(<li class="observablehq-link observablehq-link-active"><a )(?!aria-current=)/g, '$1aria-current="page" ');
  return out;
}

async function htmlFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".html")) files.push(join(entry.parentPath, entry.name));
  }
  return files.sort();
}

/**
 * Corrects every page of a built site in place (through a temporary file and a
 * rename, so a page is never half-written). Returns how many pages changed.
 */
export async function applyAccessibleShell(siteDir: string): Promise<{ pages: number; changed: number }> {
  const files = await htmlFiles(siteDir);
  let changed = 0;
  for (const file of files) {
    const before = await readFile(file, "utf8");
    const after = accessibleShell(before);
    if (after === before) continue;
    changed += 1;
    const temporary = `${file}.a11y-tmp`;
    await writeFile(temporary, after);
    await rename(temporary, file);
  }
  return { pages: files.length, changed };
}
