/** UI text: Bahasa Indonesia first, English second. Every string the user sees comes from here. */
import { en } from "./locales/en";
import { id } from "./locales/id";

export type MessageKey = keyof typeof id;

export const dictionaries = { id, en } as const;
export type Lang = keyof typeof dictionaries;

const LANG_KEY = "jsc.lang";
let current: Lang = readLang();

function readLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(LANG_KEY);
    return stored === "en" ? "en" : "id";
  } catch {
    return "id";
  }
}

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    globalThis.localStorage?.setItem(LANG_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this visit.
  }
  if (typeof document !== "undefined") document.documentElement.lang = lang;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? dictionaries.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => (name in params ? String(params[name]) : `{${name}}`));
}

/** For keys built from data (status, severity, outcome codes): falls back to the code itself. */
export function tCode(prefix: string, code: string | null | undefined): string {
  if (!code) return "";
  const key = `${prefix}.${code}` as MessageKey;
  return key in dictionaries.id ? t(key) : code;
}
