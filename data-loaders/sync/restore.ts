/**
 * Restoring damaged month files: what a run that found some did about them, and the
 * check after a source was rebuilt from its raw archive that every recorded row came back.
 */
import { DAMAGED_DIRECTORY, restoreCommand, type TableInventoryHandle } from "../lake/index.js";
import type { SyncProgress } from "./progress.js";

/** What a run that found damaged month files did about them, per source. */
export interface RestoreOutcome {
  /** Damaged tables of the source, with their files set aside. */
  handles: TableInventoryHandle[];
  /** Set when the restore failed or came back short: the source is then not synced in this run. */
  problem?: string;
}

export function restoreFailure(source: string, detail: string): string {
  return (
    `${detail}; the damaged files are kept under ${DAMAGED_DIRECTORY}/ in the lake. Put a good copy back from a backup of the lake (at its old path) ` +
    `and run \`${restoreCommand(source)}\`, or fetch the history again from the vendor with \`npm run sync -- --full --source ${source}\``
  );
}

/**
 * Checks the partitions a replay rebuilt against what the inventory recorded. Returns
 * the problem when rows are missing, after noting what came back.
 */
export async function finishRestore(source: string, handles: readonly TableInventoryHandle[], progress: SyncProgress): Promise<string | undefined> {
  const short: string[] = [];
  for (const handle of handles) {
    for (const outcome of await handle.finishRestore()) {
      const where = `${source}.${handle.table} month ${outcome.month}`;
      if (outcome.recorded !== null && outcome.restored < outcome.recorded) {
        short.push(`${where}: only ${outcome.restored} of the ${outcome.recorded} recorded rows could be rebuilt from the raw archive`);
      } else {
        progress.note(`lake: restored ${where} from the raw archive: ${outcome.restored} rows (${outcome.recorded ?? "none"} recorded)${outcome.setAsideTo ? `; the damaged file is kept at ${outcome.setAsideTo}` : ""}`);
      }
    }
  }
  return short.length > 0 ? restoreFailure(source, short.join("; ")) : undefined;
}
