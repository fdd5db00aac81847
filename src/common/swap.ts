import { lstat, rename, rm } from 'node:fs/promises';

/** Test hook: SHENBAO_KILL_AT=<point> kills the process there, to prove what a kill leaves visible. */
export function killPoint(point: string): void {
  if (process.env.SHENBAO_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}

/** The kill points of one swap, named for the test hooks. */
export interface SwapPoints {
  written: string;
  oldMoved: string;
  swapped: string;
}

/**
 * Puts the complete folder built at `tmp` in place of `dir` (a package, the 汇总 set): the old
 * folder is moved aside to `${tmp}.old`, the new one renamed in, then `after` runs (the package's
 * zip) and the old copy goes. Any failure puts the old folder back and leaves `tmp` for the
 * caller to remove. Node has no atomic exchange of two folders (renameat2 RENAME_EXCHANGE), so
 * a kill between the two renames leaves the old folder only under its hidden name:
 * recoverLeftovers restores it on the next run.
 */
export async function swapFolder(dir: string, tmp: string, points: SwapPoints, after?: () => Promise<void>): Promise<void> {
  const old = `${tmp}.old`;
  const existing = await lstat(dir).catch(() => undefined);
  let moved = false;
  let swapped = false;
  try {
    killPoint(points.written);
    if (existing) {
      await rename(dir, old);
      moved = true;
    }
    killPoint(points.oldMoved);
    await rename(tmp, dir);
    swapped = true;
    killPoint(points.swapped);
    await after?.();
  } catch (err) {
    if (swapped) await rename(dir, tmp).catch(() => undefined);
    if (moved) await rename(old, dir).catch(() => undefined);
    throw err;
  }
  await rm(old, { recursive: true, force: true }).catch(() => undefined);
}
