import type { PrismaTx } from '../client.ts';
import type { Faq, JsonObject, Product } from '../types.ts';

export interface ProductInput {
  name: string;
  nameEn?: string | null;
  price: number;
  stock: number;
  category?: string | null;
  description?: string | null;
  descriptionEn?: string | null;
  attributes?: JsonObject;
  attributesEn?: JsonObject;
  returnable?: boolean;
  url?: string | null;
}

export interface FaqInput {
  question: string;
  answer: string;
  questionEn?: string | null;
  answerEn?: string | null;
  keywords?: string[];
  category?: string | null;
}

export class CatalogRepository {
  constructor(private readonly db: PrismaTx) {}

  upsertProduct(sku: string, input: ProductInput): Promise<Product> {
    return this.db.product.upsert({ where: { sku }, create: { sku, ...input }, update: input });
  }

  product(sku: string): Promise<Product | null> {
    return this.db.product.findUnique({ where: { sku } });
  }

  productsBySku(skus: string[]): Promise<Product[]> {
    return skus.length ? this.db.product.findMany({ where: { sku: { in: skus } } }) : Promise.resolve([]);
  }

  productsById(ids: number[]): Promise<Product[]> {
    return this.db.product.findMany({ where: { id: { in: ids } } });
  }

  /** Every product, listed or not, for the shop's own catalog screens. */
  allProducts(): Promise<Product[]> {
    return this.db.product.findMany({ orderBy: { id: 'asc' } });
  }

  setProductActive(sku: string, active: boolean): Promise<Product> {
    return this.db.product.update({ where: { sku }, data: { active } });
  }

  faq(id: number): Promise<Faq | null> {
    return this.db.faq.findUnique({ where: { id } });
  }

  activeProducts(): Promise<Product[]> {
    return this.db.product.findMany({ where: { active: true }, orderBy: { id: 'asc' } });
  }

  createFaq(input: FaqInput): Promise<Faq> {
    return this.db.faq.create({ data: input });
  }

  /** `null` clears an optional text. */
  updateFaq(
    id: number,
    input: Partial<Omit<FaqInput, 'questionEn' | 'answerEn' | 'category'>> & {
      questionEn?: string | null;
      answerEn?: string | null;
      category?: string | null;
    },
  ): Promise<Faq> {
    return this.db.faq.update({ where: { id }, data: input });
  }

  deleteFaq(id: number) {
    return this.db.faq.delete({ where: { id } });
  }

  faqs(): Promise<Faq[]> {
    return this.db.faq.findMany({ orderBy: { id: 'asc' } });
  }

  synonyms() {
    return this.db.synonym.findMany({ orderBy: { term: 'asc' } });
  }

  upsertSynonym(term: string, alternatives: string[]) {
    return this.db.synonym.upsert({ where: { term }, create: { term, alternatives }, update: { alternatives } });
  }

  deleteSynonym(term: string) {
    return this.db.synonym.deleteMany({ where: { term } });
  }

  /** Changes whenever a product, FAQ or synonym changes: lets other instances notice catalog edits. */
  async fingerprint(): Promise<string> {
    const [products, faqs, synonyms] = await Promise.all([
      this.db.product.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
      this.db.faq.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
      this.db.synonym.findMany({ orderBy: { term: 'asc' }, select: { term: true, alternatives: true } }),
    ]);
    return JSON.stringify([
      products._count._all,
      products._max.updatedAt?.toISOString() ?? null,
      faqs._count._all,
      faqs._max.updatedAt?.toISOString() ?? null,
      synonyms,
    ]);
  }

  counts() {
    return Promise.all([this.db.product.count(), this.db.faq.count()]);
  }
}
