// The in-memory retrieval index over the shop's catalog. Catalog changes in this process mark it
// stale at once; changes made by another instance are noticed through a cheap database fingerprint
// checked at most every FINGERPRINT_CHECK_MS. A stale index is rebuilt shortly after the last local
// change (or by the next question, whichever comes first), so a bulk import of thousands of products
// costs one rebuild, not thousands, and the next customer rarely waits for it.

import type { Faq, Product } from '../db/types.ts';
import type { Clock } from '../kernel/clock.ts';
import type { ValueVocabulary } from './attributes.ts';
import { RetrievalIndex, type SearchResult, type SynonymEntry } from './retrieval.ts';

const FINGERPRINT_CHECK_MS = 30_000;
/** Quiet time after a local catalog change before the index is rebuilt in the background. */
const REBUILD_AFTER_CHANGE_MS = 300;

/** The catalogue as the knowledge base reads it (the crm catalog service provides it). */
export interface CatalogSource {
  /** Called after every local catalogue change. */
  onChange(listener: () => void): void;
  /** Changes whenever the catalogue changes, on any instance. */
  fingerprint(): Promise<string>;
  products(): Promise<Product[]>;
  faqs(): Promise<Faq[]>;
  synonyms(): Promise<SynonymEntry[]>;
}

export class KnowledgeBase {
  private current: RetrievalIndex | undefined;
  private bySku = new Map<string, Product>();
  private building: Promise<RetrievalIndex> | undefined;
  private generation = 0;
  /** The generation the build in progress started at. */
  private buildingGeneration = 0;
  private fingerprint = '';
  private checkedAt = 0;
  private rebuildTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly catalog: CatalogSource,
    private readonly clock: Clock,
  ) {
    catalog.onChange(() => {
      this.generation++;
      this.current = undefined;
      clearTimeout(this.rebuildTimer);
      if (this.stopped) return;
      this.rebuildTimer = setTimeout(() => void this.warm(), REBUILD_AFTER_CHANGE_MS);
      this.rebuildTimer.unref();
    });
  }

  /** Builds the index now if it is missing (start-up, after a change); failures wait for the next question. */
  async warm(): Promise<void> {
    if (!this.stopped) await this.index().catch(() => undefined);
  }

  /** Stops background rebuilds and waits for one in progress (before the database closes). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rebuildTimer);
    await this.building?.catch(() => undefined);
  }

  async index(): Promise<RetrievalIndex> {
    if (this.current && this.clock.now().getTime() - this.checkedAt >= FINGERPRINT_CHECK_MS) {
      this.checkedAt = this.clock.now().getTime();
      if ((await this.catalog.fingerprint()) !== this.fingerprint) this.current = undefined;
    }
    if (this.current) return this.current;
    // A build that started before the latest change reads the old catalogue: let it finish, then
    // build again, so nobody is handed an index older than a change they have seen committed.
    while (this.building && this.buildingGeneration !== this.generation) {
      await this.building.catch(() => undefined);
    }
    if (this.current) return this.current;
    if (!this.building) {
      const generation = this.generation;
      this.buildingGeneration = generation;
      this.building = this.build().finally(() => {
        this.building = undefined;
      });
      const index = await this.building;
      if (generation === this.generation) this.current = index;
      return index;
    }
    return this.building;
  }

  async search(text: string, options: { limit?: number; productText?: string } = {}): Promise<SearchResult> {
    return (await this.index()).search(text, options);
  }

  /** Attribute value equivalences: built-in colours and sizes plus the shop's synonyms. */
  /** The text with its Latin typos corrected against the shop's words. */
  async spell(text: string): Promise<string> {
    return (await this.index()).spell(text);
  }

  async values(): Promise<ValueVocabulary> {
    return (await this.index()).values;
  }

  async product(sku: string): Promise<Product | undefined> {
    await this.index();
    return this.bySku.get(sku);
  }

  private async build(): Promise<RetrievalIndex> {
    const fingerprint = await this.catalog.fingerprint();
    const [products, faqs, synonyms] = await Promise.all([
      this.catalog.products(),
      this.catalog.faqs(),
      this.catalog.synonyms(),
    ]);
    this.fingerprint = fingerprint;
    this.checkedAt = this.clock.now().getTime();
    this.bySku = new Map(products.map((p) => [p.sku, p]));
    return new RetrievalIndex(products, faqs, synonyms);
  }
}
