// Catalog (admin): the products, FAQs and synonyms the bot answers from. Products are searched,
// created, edited and listed (上架) or delisted (下架); FAQs created, edited and deleted; synonyms
// ("customers who say X mean Y") set and removed. Every change reaches the bot's answers at once.
import { useMemo, useState } from 'preact/hooks';
import {
  attributeText,
  type FaqInput,
  type ProductInput,
  parseAttributeText,
} from '../../../../src/domain/catalog-input.ts';
import type { FaqView, ProductView } from '../../../../src/http/schemas/catalog.ts';
import { api } from '../api.ts';
import { money, msg, useLanguage } from '../i18n.ts';
import {
  ActionButton,
  Badge,
  EditButton,
  Empty,
  errorText,
  Field,
  Loading,
  Section,
  Switch,
  Table,
  useLoad,
  useToast,
} from '../ui.tsx';

type Tab = 'products' | 'faqs' | 'synonyms';

export function CatalogPage() {
  const { t } = useLanguage();
  const [tab, setTab] = useState<Tab>('products');
  const tabs: Array<{ id: Tab; label: ReturnType<typeof msg> }> = [
    { id: 'products', label: msg('商品', 'Products') },
    { id: 'faqs', label: msg('常见问题', 'FAQs') },
    { id: 'synonyms', label: msg('同义词', 'Synonyms') },
  ];
  return (
    <div class="stack">
      <div class="row" role="tablist" aria-label={t(msg('商品与问答', 'Catalog'))}>
        {tabs.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            id={`tab-${x.id}`}
            aria-selected={tab === x.id}
            class={tab === x.id ? 'primary' : ''}
            onClick={() => setTab(x.id)}
          >
            {t(x.label)}
          </button>
        ))}
      </div>
      {tab === 'products' ? <Products /> : tab === 'faqs' ? <Faqs /> : <Synonyms />}
    </div>
  );
}

/** Binds a text input to one field of a form held in state. */
function binder<F extends object>(form: F, setForm: (next: F) => void) {
  return (key: keyof F & string) => ({
    value: String(form[key]),
    onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
      setForm({ ...form, [key]: e.currentTarget.value }),
  });
}

/** Save, and Cancel while an existing record is being edited. */
function SaveButtons(props: { id: string; editing: boolean; onCancel: () => void }) {
  const { t } = useLanguage();
  return (
    <div class="row">
      <button type="submit" class="primary" id={props.id}>
        {t(msg('保存', 'Save'))}
      </button>
      {props.editing ? (
        <button type="button" onClick={props.onCancel}>
          {t(msg('取消', 'Cancel'))}
        </button>
      ) : null}
    </div>
  );
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

interface ProductForm {
  sku: string;
  name: string;
  nameEn: string;
  price: string;
  stock: string;
  category: string;
  description: string;
  attributes: string;
  returnable: boolean;
}

const emptyProduct: ProductForm = {
  sku: '',
  name: '',
  nameEn: '',
  price: '',
  stock: '0',
  category: '',
  description: '',
  attributes: '',
  returnable: true,
};

function formOf(p: ProductView): ProductForm {
  return {
    sku: p.sku,
    name: p.name,
    nameEn: p.nameEn ?? '',
    price: yuan(p.price),
    stock: String(p.stock),
    category: p.category ?? '',
    description: p.description ?? '',
    attributes: p.attributes ? attributeText(p.attributes) : '',
    returnable: p.returnable,
  };
}

/** The form as the API's input; amounts typed in yuan become fen. */
function inputOf(f: ProductForm, keepEnglish: ProductView | undefined): ProductInput {
  const attributes = parseAttributeText(f.attributes);
  const englishStillFits =
    keepEnglish?.attributesEn &&
    Object.keys(keepEnglish.attributesEn).every((k) => attributes[k] !== undefined) &&
    f.attributes === (keepEnglish.attributes ? attributeText(keepEnglish.attributes) : '');
  return {
    name: f.name.trim(),
    ...(f.nameEn.trim() ? { nameEn: f.nameEn.trim() } : {}),
    price: Math.round(Number(f.price) * 100),
    stock: Number(f.stock),
    ...(f.category.trim() ? { category: f.category.trim() } : {}),
    ...(f.description.trim() ? { description: f.description.trim() } : {}),
    ...(Object.keys(attributes).length ? { attributes } : {}),
    ...(englishStillFits && keepEnglish.attributesEn ? { attributesEn: keepEnglish.attributesEn } : {}),
    returnable: f.returnable,
  };
}

function Products() {
  const { t } = useLanguage();
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.products(), []);
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<ProductForm>(emptyProduct);
  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (data?.products ?? []).filter(
      (p) => !needle || [p.sku, p.name, p.nameEn ?? '', p.category ?? ''].some((v) => v.toLowerCase().includes(needle)),
    );
  }, [data, q]);
  const field = binder(form, setForm);
  return (
    <>
      <Section title={t(msg('商品', 'Products'))}>
        <form class="filters" onSubmit={(e) => e.preventDefault()}>
          <label class="grow">
            <span class="visually-hidden">{t(msg('搜索商品', 'Search products'))}</span>
            <input
              type="search"
              id="product-search"
              placeholder={t(msg('SKU、名称或分类', 'SKU, name or category'))}
              value={q}
              onInput={(e) => setQ(e.currentTarget.value)}
            />
          </label>
        </form>
        {data ? (
          shown.length ? (
            <Table
              id="products"
              head={[
                'SKU',
                t(msg('名称', 'Name')),
                t(msg('价格', 'Price')),
                t(msg('库存', 'Stock')),
                t(msg('状态', 'Status')),
                t(msg('操作', 'Actions')),
              ]}
            >
              {shown.map((p) => (
                <tr key={p.sku} data-sku={p.sku}>
                  <td>{p.sku}</td>
                  <td>
                    {p.name}
                    {p.category ? <div class="muted">{p.category}</div> : null}
                  </td>
                  <td>{money(p.price)}</td>
                  <td>{p.stock === 0 ? <Badge tone="urgent">{t(msg('售罄', 'Sold out'))}</Badge> : p.stock}</td>
                  <td>
                    <Badge tone={p.active ? 'resolved' : 'draft'}>
                      {p.active ? t(msg('上架', 'Listed')) : t(msg('已下架', 'Delisted'))}
                    </Badge>
                  </td>
                  <td class="row">
                    <EditButton
                      onEdit={() => {
                        setEditing(p.sku);
                        setForm(formOf(p));
                      }}
                    />
                    <ActionButton
                      class="toggle"
                      run={async () => {
                        await api.setProductActive(p.sku, !p.active);
                        await reload();
                      }}
                    >
                      {p.active ? t(msg('下架', 'Delist')) : t(msg('上架', 'List'))}
                    </ActionButton>
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>{t(msg('没有符合的商品', 'No products match'))}</Empty>
          )
        ) : (
          <Loading error={error} />
        )}
      </Section>
      <Section
        title={
          editing ? t(msg('编辑商品 {sku}', 'Edit product {sku}'), { sku: editing }) : t(msg('新商品', 'New product'))
        }
      >
        <form
          class="stack"
          id="product-form"
          onSubmit={async (e) => {
            e.preventDefault();
            if (!/^\d+(\.\d{1,2})?$/.test(form.price.trim())) {
              toast(t(msg('价格应写成元，如 79 或 79.90', 'Enter the price in yuan, e.g. 79 or 79.90')), {
                tone: 'error',
              });
              return;
            }
            try {
              const before = data?.products.find((p) => p.sku === form.sku.trim());
              await api.saveProduct(form.sku.trim(), inputOf(form, before));
              toast(t(msg('已保存 {sku}', 'Saved {sku}'), { sku: form.sku.trim() }));
              setEditing(null);
              setForm(emptyProduct);
              await reload();
            } catch (failure) {
              toast(errorText(failure), { tone: 'error' });
            }
          }}
        >
          <div class="row wrap">
            <label>
              SKU
              <input id="product-sku" required disabled={editing !== null} {...field('sku')} />
            </label>
            <label class="grow">
              {t(msg('名称', 'Name'))}
              <input id="product-name" required {...field('name')} />
            </label>
            <label class="grow">
              {t(msg('英文名称', 'English name'))}
              <input id="product-name-en" {...field('nameEn')} />
            </label>
          </div>
          <div class="row wrap">
            <label>
              {t(msg('价格（元）', 'Price (¥)'))}
              <input id="product-price" inputMode="decimal" required {...field('price')} />
            </label>
            <label>
              {t(msg('库存', 'Stock'))}
              <input id="product-stock" type="number" min={0} required {...field('stock')} />
            </label>
            <label>
              {t(msg('分类', 'Category'))}
              <input id="product-category" {...field('category')} />
            </label>
            <Switch
              label={t(msg('支持七天无理由退货', '7-day returns'))}
              id="product-returnable"
              checked={form.returnable}
              onValue={(value) => setForm({ ...form, returnable: value })}
            />
          </div>
          <label>
            {t(msg('规格（如 尺码=S|M|L; 颜色=白色|黑色）', 'Attributes (e.g. 尺码=S|M|L; 颜色=白色|黑色)'))}
            <input id="product-attributes" {...field('attributes')} />
          </label>
          <label>
            {t(msg('描述', 'Description'))}
            <textarea id="product-description" rows={2} {...field('description')} />
          </label>
          <SaveButtons
            id="product-save"
            editing={editing !== null}
            onCancel={() => {
              setEditing(null);
              setForm(emptyProduct);
            }}
          />
        </form>
      </Section>
    </>
  );
}

interface FaqForm {
  question: string;
  answer: string;
  questionEn: string;
  answerEn: string;
  keywords: string;
  category: string;
}
const emptyFaq: FaqForm = { question: '', answer: '', questionEn: '', answerEn: '', keywords: '', category: '' };

function faqInput(f: FaqForm): FaqInput {
  const keywords = f.keywords
    .split(/[|,，、]/)
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    question: f.question.trim(),
    answer: f.answer.trim(),
    ...(f.questionEn.trim() ? { questionEn: f.questionEn.trim() } : {}),
    ...(f.answerEn.trim() ? { answerEn: f.answerEn.trim() } : {}),
    ...(keywords.length ? { keywords } : {}),
    ...(f.category.trim() ? { category: f.category.trim() } : {}),
  };
}

function faqForm(f: FaqView): FaqForm {
  return {
    question: f.question,
    answer: f.answer,
    questionEn: f.questionEn ?? '',
    answerEn: f.answerEn ?? '',
    keywords: (f.keywords ?? []).join(' | '),
    category: f.category ?? '',
  };
}

function Faqs() {
  const { t } = useLanguage();
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.faqs(), []);
  const [editing, setEditing] = useState<number | null>(null);
  const [form, setForm] = useState<FaqForm>(emptyFaq);
  const field = binder(form, setForm);
  return (
    <>
      <Section title={t(msg('常见问题', 'FAQs'))}>
        {data ? (
          data.faqs.length ? (
            <ul class="list" id="faqs">
              {data.faqs.map((f) => (
                <li key={f.id} data-faq={f.id}>
                  <strong>{f.question}</strong>
                  <div>{f.answer}</div>
                  <div class="row">
                    <EditButton
                      onEdit={() => {
                        setEditing(f.id);
                        setForm(faqForm(f));
                      }}
                    />
                    <ActionButton
                      class="delete"
                      run={async () => {
                        if (!window.confirm(t(msg('删除这条问答？', 'Delete this FAQ?')))) return;
                        await api.deleteFaq(f.id);
                        await reload();
                      }}
                    >
                      {t(msg('删除', 'Delete'))}
                    </ActionButton>
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{t(msg('还没有常见问题', 'No FAQs yet'))}</Empty>
          )
        ) : (
          <Loading error={error} />
        )}
      </Section>
      <Section title={editing ? t(msg('编辑问答', 'Edit FAQ')) : t(msg('新问答', 'New FAQ'))}>
        <form
          class="stack"
          id="faq-form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              if (editing) await api.updateFaq(editing, faqInput(form));
              else await api.createFaq(faqInput(form));
              toast(t(msg('已保存', 'Saved')));
              setEditing(null);
              setForm(emptyFaq);
              await reload();
            } catch (failure) {
              toast(errorText(failure), { tone: 'error' });
            }
          }}
        >
          <label>
            {t(msg('问题', 'Question'))}
            <input id="faq-question" required {...field('question')} />
          </label>
          <label>
            {t(msg('回答', 'Answer'))}
            <textarea id="faq-answer" rows={3} required {...field('answer')} />
          </label>
          <label>
            {t(msg('英文问题', 'Question in English'))}
            <input id="faq-question-en" {...field('questionEn')} />
          </label>
          <label>
            {t(msg('英文回答', 'Answer in English'))}
            <textarea id="faq-answer-en" rows={2} {...field('answerEn')} />
          </label>
          <label>
            {t(msg('关键词（用 | 分隔）', 'Keywords (separated by |)'))}
            <input id="faq-keywords" {...field('keywords')} />
          </label>
          <SaveButtons
            id="faq-save"
            editing={editing !== null}
            onCancel={() => {
              setEditing(null);
              setForm(emptyFaq);
            }}
          />
        </form>
      </Section>
    </>
  );
}

function Synonyms() {
  const { t } = useLanguage();
  const toast = useToast();
  const { data, error, reload } = useLoad(() => api.synonyms(), []);
  const [term, setTerm] = useState('');
  const [alternatives, setAlternatives] = useState('');
  return (
    <Section title={t(msg('同义词', 'Synonyms'))}>
      <p class="muted">
        {t(
          msg(
            '客户说“其他说法”中的任何一个，都按“标准词”理解（如 白 / white → 白色）。',
            'A customer saying any alternative is understood as saying the term (e.g. 白 / white → 白色).',
          ),
        )}
      </p>
      {data ? (
        data.synonyms.length ? (
          <ul class="list" id="synonyms">
            {data.synonyms.map((s) => (
              <li key={s.term} data-term={s.term}>
                <strong>{s.term}</strong> ← {s.alternatives.join('、')}{' '}
                <ActionButton
                  class="delete"
                  run={async () => {
                    await api.deleteSynonym(s.term);
                    await reload();
                  }}
                >
                  {t(msg('删除', 'Delete'))}
                </ActionButton>
              </li>
            ))}
          </ul>
        ) : (
          <Empty>{t(msg('还没有同义词', 'No synonyms yet'))}</Empty>
        )
      ) : (
        <Loading error={error} />
      )}
      <form
        class="row wrap"
        id="synonym-form"
        onSubmit={async (e) => {
          e.preventDefault();
          const list = alternatives
            .split(/[|,，、]/)
            .map((a) => a.trim())
            .filter(Boolean);
          try {
            await api.setSynonym(term.trim(), list);
            setTerm('');
            setAlternatives('');
            await reload();
          } catch (failure) {
            toast(errorText(failure), { tone: 'error' });
          }
        }}
      >
        <Field label={t(msg('标准词', 'Term'))} id="synonym-term" required value={term} onValue={setTerm} />
        <Field
          label={t(msg('其他说法（用 | 或逗号分隔）', 'Alternatives (separated by | or commas)'))}
          labelClass="grow"
          id="synonym-alternatives"
          required
          value={alternatives}
          onValue={setAlternatives}
        />
        <button type="submit" class="primary" id="synonym-save">
          {t(msg('保存', 'Save'))}
        </button>
      </form>
    </Section>
  );
}
