// Chinese word segmentation (jieba, via @node-rs/jieba) next to the character n-grams of tokenize.ts:
// words let the index match "羽绒服" as a word and let a question drop the bigrams that straddle two
// words ("恤多" in "T恤多少钱"), which otherwise count against its coverage. The shop's own words
// (product names and categories, synonym terms) are added to the dictionary, so "重磅落肩T恤" is one
// word rather than 重磅/落/肩/T恤. One dictionary per process, loaded on first use (~250 ms).
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let instance: Jieba | undefined;
const added = new Set<string>();

function jieba(): Jieba {
  instance ??= Jieba.withDict(dict);
  return instance;
}

/** Frequency given to shop words: high enough that the segmenter keeps them whole. */
const SHOP_WORD_FREQUENCY = 50_000;

/** Adds words to the dictionary (words stay for the life of the process; re-adding is free). */
export function addWords(words: Iterable<string>): void {
  const fresh: string[] = [];
  for (const raw of words) {
    const word = raw
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[(（【[].*?[)）】\]]/g, '')
      .trim();
    if (word.length < 2 || word.length > 24 || added.has(word)) continue;
    if (!/[\u3400-\u9fff]/.test(word) || !/^[\u3400-\u9fffa-z0-9-]+$/.test(word)) continue;
    added.add(word);
    fresh.push(`${word} ${SHOP_WORD_FREQUENCY}`);
  }
  if (fresh.length > 0) {
    jieba().loadDict(Buffer.from(fresh.join('\n')));
    segmented.clear();
    version++;
  }
}

let version = 0;

/** Changes whenever the dictionary does: a result that depends on segmentation is stale once it moves. */
export function dictionaryVersion(): number {
  return version;
}

/**
 * Recent segmentations: one message segments the same runs several times (its aspects, the product
 * and the FAQ query). Cleared when the dictionary changes; bounded (cleared when full).
 */
const segmented = new Map<string, readonly string[]>();
const SEGMENTED_MAX = 512;

/** Words of a Chinese run in search mode: whole words plus their dictionary sub-words. */
export function searchWords(run: string): string[] {
  return jieba().cutForSearch(run, false);
}

/** Words of a Chinese run, each once, in order (for word boundaries). */
export function words(run: string): readonly string[] {
  const known = segmented.get(run);
  if (known) return known;
  const cut = jieba().cut(run, false);
  if (segmented.size >= SEGMENTED_MAX) segmented.clear();
  segmented.set(run, cut);
  return cut;
}
