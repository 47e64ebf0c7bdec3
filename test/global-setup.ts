// Runs once before the test files: the browser tests need the console bundle, built when missing or stale.
import { ensureConsoleBuild } from '../web/console/build.ts';

export default async function setup(): Promise<void> {
  await ensureConsoleBuild();
}
