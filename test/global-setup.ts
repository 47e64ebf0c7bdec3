// Runs once before the test files: the browser tests need the console and widget bundles, built when missing or stale.
import { ensureConsoleBuild } from '../web/console/build.ts';
import { ensureWidgetBuild } from '../web/widget/build.ts';

export default async function setup(): Promise<void> {
  await ensureConsoleBuild();
  await ensureWidgetBuild();
}
