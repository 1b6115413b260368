// Reading the loaders' `*.arrow.gz` files in a page: gzip-compressed Arrow IPC,
// undone by the browser's own DecompressionStream and decoded by apache-arrow (no
// WebAssembly to fetch and compile, unlike Parquet). Plain JavaScript because it
// imports an `npm:` module (the unit tests run rows.ts in Node).
import {tableFromIPC} from "npm:apache-arrow";
import {tableRows} from "./rows.js";

const GZIP_MAGIC = [0x1f, 0x8b];

/** The Arrow table of a FileAttachment (`FileAttachment("data/x.arrow.gz")`). */
export async function loadTable(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // A host may already have undone the gzip (Content-Encoding): then the bytes are Arrow.
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return tableFromIPC(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return tableFromIPC(new Uint8Array(await new Response(stream).arrayBuffer()));
}

/** The rows of a FileAttachment's Arrow table as plain objects (see rows.ts, tableRows). */
export async function loadRows(file) {
  return tableRows(await loadTable(file));
}
