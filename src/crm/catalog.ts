// Products and FAQs: the knowledge the pre-sale answers are drawn from.
import { z } from 'zod';
import type { Repositories } from '../db/store.ts';
import type { Faq, Product } from '../db/types.ts';
import type { Actor } from '../domain/audit.ts';
import { FaqInput, ProductInput, Sku, SynonymInput, SynonymTerm } from '../domain/catalog-input.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type AuditRecord, audited } from './audit.ts';
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
    return this.change(
      actor,
      (repos) => repos.catalog.upsertProduct(cleanSku, data),
      () => ({ action: 'product.upsert', entity: 'product', entityId: cleanSku }),
    );
  }

  async createFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    return this.change(
      actor,
      (repos) => repos.catalog.createFaq(data),
      (faq) => ({ action: 'faq.create', entity: 'faq', entityId: faq.id }),
    );
  }

  /** Creates the FAQ, or updates the one with exactly this question (CSV re-imports stay idempotent). */
  async saveFaq(input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    return this.change(
      actor,
      async (repos) => {
        const existing = (await repos.catalog.faqs()).find((f) => f.question === data.question);
        const faq = existing ? await repos.catalog.updateFaq(existing.id, data) : await repos.catalog.createFaq(data);
        return { faq, existed: existing !== undefined };
      },
      ({ faq, existed }) => ({ action: existed ? 'faq.update' : 'faq.create', entity: 'faq', entityId: faq.id }),
    ).then(({ faq }) => faq);
  }

  /** Lists (上架) or delists (下架) a product: a delisted one is never offered or answered about. */
  async setProductActive(sku: string, active: boolean, actor: Actor): Promise<Product> {
    const cleanSku = Sku.parse(sku);
    return this.change(
      actor,
      async (repos) => {
        if (!(await repos.catalog.product(cleanSku))) throw new NotFoundError(`product ${cleanSku}`);
        return repos.catalog.setProductActive(cleanSku, active);
      },
      () => ({ action: active ? 'product.activate' : 'product.deactivate', entity: 'product', entityId: cleanSku }),
    );
  }

  async updateFaq(id: number, input: FaqInput, actor: Actor): Promise<Faq> {
    const data = FaqInput.parse(input);
    return this.change(
      actor,
      async (repos) => {
        if (!(await repos.catalog.faq(id))) throw new NotFoundError(`FAQ ${id}`);
        // Optional texts left out of an edit are cleared, not kept: the form sends the whole FAQ.
        return repos.catalog.updateFaq(id, {
          questionEn: null,
          answerEn: null,
          keywords: [],
          category: null,
          ...data,
        });
      },
      () => ({ action: 'faq.update', entity: 'faq', entityId: id }),
    );
  }

  async deleteFaq(id: number, actor: Actor): Promise<void> {
    await this.change(
      actor,
      async (repos) => {
        if (!(await repos.catalog.faq(id))) throw new NotFoundError(`FAQ ${id}`);
        await repos.catalog.deleteFaq(id);
      },
      () => ({ action: 'faq.delete', entity: 'faq', entityId: id }),
    );
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
    await this.change(
      actor,
      (repos) => repos.catalog.upsertSynonym(cleanTerm, alternatives),
      () => ({ action: 'synonym.set', entity: 'synonym', entityId: cleanTerm, details: { alternatives } }),
    );
    return { term: cleanTerm, alternatives };
  }

  async deleteSynonym(term: string, actor: Actor): Promise<boolean> {
    const cleanTerm = SynonymTerm.parse(term);
    const result = await this.change(
      actor,
      (repos) => repos.catalog.deleteSynonym(cleanTerm),
      () => ({ action: 'synonym.delete', entity: 'synonym', entityId: cleanTerm }),
    );
    return result.count > 0;
  }

  /** A change of the catalogue: audited in its transaction; once it commits, the listeners hear of it. */
  private async change<T>(
    actor: Actor,
    work: (repos: Repositories) => Promise<T>,
    entry: (result: T) => Omit<AuditRecord, 'actor'>,
  ): Promise<T> {
    const result = await audited(this.deps, actor, work, entry);
    this.changed();
    return result;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
