// Runs once before the test files: the browser tests need the console and widget bundles, built when
// missing or stale. After the run, the emptied PostgreSQL databases kept for reuse are dropped.
import { ensureConsoleBuild } from '../web/console/build.ts';
import { ensureWidgetBuild } from '../web/widget/build.ts';
import { dropParkedDatabases } from './helpers/databases.ts';

export default async function setup(): Promise<() => Promise<void>> {
  await ensureConsoleBuild();
  await ensureWidgetBuild();
  return dropParkedDatabases;
}
