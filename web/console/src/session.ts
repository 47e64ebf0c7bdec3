// One way to hold the session: the token lives in sessionStorage (this tab only, gone when it closes)
// and travels only in the Authorization header.
const KEY = 'guanxi.console.token';

export const session = {
  get token(): string | null {
    return sessionStorage.getItem(KEY);
  },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
};
