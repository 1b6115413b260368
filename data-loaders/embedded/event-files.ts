/**
 * The folder of event files (EMBEDDED_EVENTS_DIR): NDJSON written by the collector,
 * one file per day, only ever appended to (an organisation's own endpoint must write
 * the same way). Every `*.ndjson` and `*.jsonl` file is read; names starting with "."
 * or "_" are skipped (temporary and hidden files).
 *
 * Each file is tracked by a fingerprint of what was read (sync/file-cursor.ts'
 * `TailFingerprint`): when a file grew and still starts with the bytes already read,
 * only the new tail is read; when it changed in any other way (rewritten, truncated), it
 * is read again from the start, which is safe because events merge by id. A last line
 * without its newline is taken only if it is complete JSON (otherwise it is still being
 * written, and the next run reads it).
 *
 * Files are streamed line by line (sync/file-lines.ts): a line that is not UTF-8 or JSON,
 * nested too deeply or longer than 8 MiB is quarantined by position, the rest is read,
 * and the file's fingerprint moves past it like past any other line.
 */
import { listFiles, type FileEntry } from "../sync/file-cursor.js";

const EVENT_FILE = /\.(ndjson|jsonl)$/i;

/** The event files in `directory`, sorted by name (the collector's names sort by day). */
export function listEventFiles(directory: string): Promise<FileEntry[]> {
  return listFiles(directory, { pattern: EVENT_FILE, variable: "EMBEDDED_EVENTS_DIR" });
}
