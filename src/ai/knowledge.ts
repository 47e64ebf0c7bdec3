// The in-memory retrieval index over the shop's catalog. Catalog changes mark it stale; the next
// question rebuilds it, so a bulk import of thousands of products costs one rebuild, not thousands.
import type { CatalogService } from '../crm/catalog.ts';
import type { Product } from '../db/types.ts';
import { RetrievalIndex, type SearchResult } from './retrieval.ts';

export class KnowledgeBase {
  private current: RetrievalIndex | undefined;
  private bySku = new Map<string, Product>();
  private building: Promise<RetrievalIndex> | undefined;
  private generation = 0;

  constructor(private readonly catalog: CatalogService) {
    catalog.onChange(() => {
      this.generation++;
      this.current = undefined;
    });
  }

  async index(): Promise<RetrievalIndex> {
    if (this.current) return this.current;
    if (!this.building) {
      const generation = this.generation;
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

  async product(sku: string): Promise<Product | undefined> {
    await this.index();
    return this.bySku.get(sku);
  }

  private async build(): Promise<RetrievalIndex> {
    const [products, faqs, synonyms] = await Promise.all([
      this.catalog.products(),
      this.catalog.faqs(),
      this.catalog.synonyms(),
    ]);
    this.bySku = new Map(products.map((p) => [p.sku, p]));
    return new RetrievalIndex(products, faqs, synonyms);
  }
}
