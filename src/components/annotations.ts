/**
 * Annotations: dated notes an analyst keeps in src/annotations.yml (a release, an
 * outage, a campaign) that the time-series charts draw and the table views list.
 * This module is what the pages need: the shape the annotations.json loader
 * publishes and picking the ones for a page and a date range. Reading and
 * validating the YAML file is annotations-file.ts (build time only, so the pages
 * do not load a YAML parser). No DOM, no library.
 */

/** One annotation as published: a day is a range whose start and end are the same day. */
export interface Annotation {
  /** First day, "YYYY-MM-DD". */
  start: string;
  /** Last day (inclusive), "YYYY-MM-DD"; equal to `start` for a single day. */
  end: string;
  label: string;
  /** The page it belongs to (its file name without .md, "index" for the overview); absent: every page. */
  page?: string;
  /** Where it comes from: a ticket, a release note, a URL. */
  source?: string;
}

export interface AnnotationSelection {
  /** The page asking (its file name without .md); site-wide annotations always apply. */
  page?: string | null;
  /** The range shown, inclusive ISO days; an annotation is kept when it overlaps it. */
  from: string;
  to: string;
}

/**
 * The annotations for a page (its own and the site-wide ones) that overlap the
 * range from–to, oldest first. ISO days compare as strings.
 */
export function selectAnnotations(annotations: readonly Annotation[], { page = null, from, to }: AnnotationSelection): Annotation[] {
  return annotations
    .filter((annotation) => annotation.page === undefined || annotation.page === page)
    .filter((annotation) => annotation.start <= to && annotation.end >= from)
    .sort((a, b) => a.start.localeCompare(b.start) || a.end.localeCompare(b.end) || a.label.localeCompare(b.label));
}

/** "2026-03-14" or "2026-03-14 – 2026-03-20": how a table view names an annotation's days. */
export function annotationDays(annotation: Annotation): string {
  return annotation.start === annotation.end ? annotation.start : `${annotation.start} – ${annotation.end}`;
}
