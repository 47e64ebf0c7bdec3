// A message split into its questions: "T恤多少钱，包邮吗" → ["T恤多少钱", "包邮吗"]; "how much are
// the shoes and is shipping free" → two. Only real separators split: punctuation, a space between two
// Chinese phrases, 另外 / 顺便 / 还有 (not "还有货吗", which asks about stock), and "and" / "also" when
// a new question follows ("black and white" stays whole).

const punctuation = /[，,。！!？?；;\n]+/;
/** A space between two Chinese phrases separates questions ("牛仔裤多少钱 包邮不"). */
const chineseSpace = /(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/;
/** Conjunctions that start a new question inside a sentence. */
const chineseJoiners = /另外|顺便问一?下|顺便|以及|此外|还想问一?下?|还有(?![货吗么没的库现剩码色件个款])/;
const englishJoiner =
  /\s+(?:and|also|plus|btw|by the way)\s+(?=(?:is|are|do|does|did|can|could|how|what|when|where|which|will|would|who|should|i|it's|its|any|free|ship|shipping)\b)/i;
const leadingJoiner =
  /^(?:and|also|or|plus|btw|another thing|另外|还有(?![货吗么没的库现剩码色件个款])|顺便问一?下|顺便|以及|然后|此外|那)[\s,，:：]*/i;

export function splitClauses(text: string): string[] {
  const out: string[] = [];
  for (const sentence of text.split(punctuation)) {
    for (const phrase of sentence.split(chineseSpace)) {
      for (const part of phrase.split(chineseJoiners)) {
        for (const clause of part.split(englishJoiner)) {
          const clean = clause.trim().replace(leadingJoiner, '').trim();
          if (clean) out.push(clean);
        }
      }
    }
  }
  return out;
}

/** Whether a clause asks something (a question left unanswered is worth saying so). */
export function isQuestion(clause: string): boolean {
  return (
    /[吗么呢嘛?？]|多少|几[天号点个件]|什么|啥|怎么|咋|哪|能不能|可不可以|可以吗|是否|有没有|(.)不\1/.test(clause) ||
    /\b(how|what|when|where|which|who|can|could|do|does|is|are|will|would|any)\b/i.test(clause)
  );
}

/** 各/分别/都 before a list, 各/一共/总共/加起来 after it ("T恤和牛仔裤各多少钱"). */
const listAffixes = /^[各分别都]+|([各分别都]|一共|总共|加起来)+$/g;
/** A cheap first look: most names contain none of those characters (the affix pattern, tried at
 * every position because of its end anchor, costs more than the rest of the split). */
const listWords = /[各分别都共总加]/;

/** Product names listed in one clause: "T恤和牛仔裤各多少钱" → ["T恤", "牛仔裤各多少钱"]. */
export function splitProductList(productText: string): string[] {
  return productText
    .split(/和|跟|与|及|还有|、|&|\/|\band\b|\bor\b|,/i)
    .map((p) => (listWords.test(p) ? p.replace(listAffixes, '') : p).trim())
    .filter((p) => p.length > 0);
}
