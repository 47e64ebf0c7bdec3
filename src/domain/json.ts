// A JSON value, as stored in JSON columns (settings, payloads) and passed through ports.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
