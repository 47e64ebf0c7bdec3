// Tiny DOM builder: text always goes through text nodes (customer text is never parsed as HTML).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function minutes(seconds) {
  return seconds === null || seconds === undefined ? '–' : `${(seconds / 60).toFixed(1)} min`;
}

export function fen(amount) {
  return `¥${(amount / 100).toFixed(2)}`;
}

/** Runs fn at most once per `ms` (live events can arrive in bursts). */
export function debounce(fn, ms = 150) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
