// The order test files start in. With timings from an earlier run (Vitest's cache) the longest
// start first, as Vitest does. On a clean checkout there are none and Vitest starts the largest
// files first, so a small but slow file (a process test that waits for real time, tens of seconds)
// may start last and hold up the end of the run on 2 workers; then the browser and process tiers,
// the slow ones, start first, each tier in Vitest's order.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const slowTiers = ['test/e2e/', 'test/process/'];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const path = (file: TestSpecification) => relative(root, file.moduleId);
    const timed = files.every((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${path(file)}`));
    if (timed) return sorted;
    const slow = (file: TestSpecification) => slowTiers.some((tier) => path(file).startsWith(tier));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
