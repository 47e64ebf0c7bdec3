// Products and FAQs: the knowledge the pre-sale answers are drawn from.
import { z } from 'zod';
import type { Faq, Product } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { FaqInput, ProductInput, Sku, SynonymInput, SynonymTerm } from '../domain/catalog-input.ts';
import { NotFoundError } from '../domain/errors.ts';
import { audit } from './audit.ts';
import type { ServiceDeps } from './context.ts';

type CatalogListener = () => void;

export class CatalogService {
  private readonly listeners: CatalogListener[] = [];

  constructor(private readonly deps: ServiceDeps) {}

  /** Called after any product or FAQ change (the retrieval index rebuilds itself). */
  onChange(listener: CatalogListener): void {
    this.listeners.push(listener);
  }

  async upsertProduct(sku: string, input: ProductInput, actor: Actor): Promise<Product> {
    const data = ProductInput.parse(input);
    const cleanSku = Sku.parse(sku);
    const product = await this.deps.store.transaction(async (repos) => {
      const product = await repos.catalog.upsertProduct(cleanSku, data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'product.upsert',
        entity: 'product',
        entityId: cleanSku,
      });
      return product;
    });
    this.changed();
    return product;
  }

  async createFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    const faq = await this.deps.store.transaction(async (repos) => {
      const faq = await repos.catalog.createFaq(data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'faq.create',
        entity: 'faq',
        entityId: faq.id,
      });
      return faq;
    });
    this.changed();
    return faq;
  }

  /** Creates the FAQ, or updates the one with exactly this question (CSV re-imports stay idempotent). */
  async saveFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    const faq = await this.deps.store.transaction(async (repos) => {
      const existing = (await repos.catalog.faqs()).find((f) => f.question === data.question);
      const faq = existing ? await repos.catalog.updateFaq(existing.id, data) : await repos.catalog.createFaq(data);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: existing ? 'faq.update' : 'faq.create',
        entity: 'faq',
        entityId: faq.id,
      });
      return faq;
    });
    this.changed();
    return faq;
  }

  /** Lists (上架) or delists (下架) a product: a delisted one is never offered or answered about. */
  async setProductActive(sku: string, active: boolean, actor: Actor): Promise<Product> {
    const cleanSku = Sku.parse(sku);
    const product = await this.deps.store.transaction(async (repos) => {
      const existing = await repos.catalog.product(cleanSku);
      if (!existing) throw new NotFoundError(`product ${cleanSku}`);
      const product = await repos.catalog.setProductActive(cleanSku, active);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: active ? 'product.activate' : 'product.deactivate',
        entity: 'product',
        entityId: cleanSku,
      });
      return product;
    });
    this.changed();
    return product;
  }

  async updateFaq(id: number, input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    const faq = await this.deps.store.transaction(async (repos) => {
      if (!(await repos.catalog.faq(id))) throw new NotFoundError(`FAQ ${id}`);
      // Optional texts left out of an edit are cleared, not kept: the form sends the whole FAQ.
      const faq = await repos.catalog.updateFaq(id, {
        questionEn: null,
        answerEn: null,
        keywords: [],
        category: null,
        ...data,
      });
      await audit(repos, this.deps.clock.now(), { actor, action: 'faq.update', entity: 'faq', entityId: id });
      return faq;
    });
    this.changed();
    return faq;
  }

  async deleteFaq(id: number, actor: Actor): Promise<void> {
    await this.deps.store.transaction(async (repos) => {
      if (!(await repos.catalog.faq(id))) throw new NotFoundError(`FAQ ${id}`);
      await repos.catalog.deleteFaq(id);
      await audit(repos, this.deps.clock.now(), { actor, action: 'faq.delete', entity: 'faq', entityId: id });
    });
    this.changed();
  }

  fingerprint(): Promise<string> {
    return this.deps.store.repos.catalog.fingerprint();
  }

  products(): Promise<Product[]> {
    return this.deps.store.repos.catalog.activeProducts();
  }

  allProducts(): Promise<Product[]> {
    return this.deps.store.repos.catalog.allProducts();
  }

  faqs(): Promise<Faq[]> {
    return this.deps.store.repos.catalog.faqs();
  }

  async synonyms(): Promise<Array<{ term: string; alternatives: string[] }>> {
    const rows = await this.deps.store.repos.catalog.synonyms();
    return rows.map((row) => {
      const alternatives = z.array(z.string()).safeParse(row.alternatives);
      return { term: row.term, alternatives: alternatives.success ? alternatives.data : [] };
    });
  }

  /** Shop-editable synonyms: customers saying any alternative are understood as saying `term`. */
  async setSynonym(term: string, input: z.infer<typeof SynonymInput>, actor: Actor) {
    const cleanTerm = SynonymTerm.parse(term);
    const { alternatives } = SynonymInput.parse(input);
    await this.deps.store.transaction(async (repos) => {
      await repos.catalog.upsertSynonym(cleanTerm, alternatives);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'synonym.set',
        entity: 'synonym',
        entityId: cleanTerm,
        details: { alternatives },
      });
    });
    this.changed();
    return { term: cleanTerm, alternatives };
  }

  async deleteSynonym(term: string, actor: Actor): Promise<boolean> {
    const cleanTerm = SynonymTerm.parse(term);
    const deleted = await this.deps.store.transaction(async (repos) => {
      const result = await repos.catalog.deleteSynonym(cleanTerm);
      await audit(repos, this.deps.clock.now(), {
        actor,
        action: 'synonym.delete',
        entity: 'synonym',
        entityId: cleanTerm,
      });
      return result.count > 0;
    });
    this.changed();
    return deleted;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
