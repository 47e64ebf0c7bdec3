// Rule-based audiences (客户分群). Rules are compiled to a database filter; preview shows the count
// and a sample before a segment is saved.
import { z } from 'zod';
import type { Repositories } from '../db/store.ts';
import type { Segment } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import type { CampaignStatus } from '../domain/campaigns.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { SegmentRule, SegmentRules } from '../domain/segment-rules.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

export const SegmentInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().trim().max(500).nullable().optional(),
    rules: SegmentRules,
  })
  .strict();
export type SegmentInput = z.infer<typeof SegmentInput>;

/** A segment as it is written: its rules and the audience size counted just before. */
interface SegmentRow {
  name: string;
  description: string | null;
  rules: SegmentRule;
  lastCount: number;
}

export class SegmentService {
  constructor(private readonly deps: ServiceDeps) {}

  async preview(rules: SegmentRule, sampleSize = 10) {
    const repos = this.deps.store.repos;
    const where = await repos.segments.where(rules, this.deps.clock.now());
    return { count: await repos.segments.count(where), sample: await repos.segments.sample(where, sampleSize) };
  }

  async create(input: SegmentInput, actor: Actor): Promise<Segment> {
    return this.save(input, actor, 'segment.create', (repos, row) => repos.segments.create(row));
  }

  async update(id: number, input: SegmentInput, actor: Actor): Promise<Segment> {
    await this.get(id);
    return this.save(input, actor, 'segment.update', (repos, row) => repos.segments.update(id, row));
  }

  /** Counts the audience, then writes the segment (`write`) and its audit entry in one transaction. */
  private async save(
    input: SegmentInput,
    actor: Actor,
    action: 'segment.create' | 'segment.update',
    write: (repos: Repositories, row: SegmentRow) => Promise<Segment>,
  ): Promise<Segment> {
    const { count } = await this.preview(input.rules, 0);
    return this.deps.store.transaction(async (repos) => {
      const segment = await write(repos, {
        name: input.name,
        description: input.description ?? null,
        rules: input.rules,
        lastCount: count,
      });
      await audit(repos, this.deps.clock.now(), {
        actor,
        action,
        entity: 'segment',
        entityId: segment.id,
        details: { name: input.name, count },
      });
      return segment;
    });
  }

  async get(id: number): Promise<Segment> {
    const segment = await this.deps.store.repos.segments.get(id);
    if (!segment) throw new NotFoundError(`segment ${id}`);
    return segment;
  }

  /** The stored rules, re-validated (a segment saved by an older version may no longer parse). */
  async rulesOf(id: number) {
    return SegmentRule.parse((await this.get(id)).rules);
  }

  list() {
    return this.deps.store.repos.segments.list();
  }

  /**
   * Deletes a saved segment. A campaign that may still send to it (draft, scheduled, running, paused)
   * keeps it: 409 naming the campaign. Finished campaigns keep the rules as their own audience.
   */
  async remove(id: number, actor: Actor): Promise<void> {
    const segment = await this.get(id);
    await this.deps.store.transaction(async (repos) => {
      const using = await repos.campaigns.usingSegment(id);
      const active = using.find((c) => !finished.includes(c.status));
      if (active) {
        throw new ConflictError(
          `segment "${segment.name}" is the audience of campaign "${active.name}", which is ${active.status}`,
        );
      }
      await repos.campaigns.detachSegment(id, segment.rules);
      await repos.segments.remove(id);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'segment.delete',
        entity: 'segment',
        entityId: id,
        details: { name: segment.name, campaigns: using.length },
      });
    });
  }
}

const finished: CampaignStatus[] = ['completed', 'cancelled'];
