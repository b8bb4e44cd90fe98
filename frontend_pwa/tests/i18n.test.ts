import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dictionaries, setLang, t, tCode } from "../src/i18n";
import { OUTCOMES, SEVERITIES } from "../src/types";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("UI text", () => {
  it("has every key in both languages, none empty, with the same placeholders", () => {
    const id = dictionaries.id as Record<string, string>;
    const en = dictionaries.en as Record<string, string>;
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    for (const key of Object.keys(id)) {
      expect(id[key].trim(), key).not.toBe("");
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(id[key]));
    }
  });

  it("has a text for every key the code uses", () => {
    const used = new Set<string>();
    for (const file of sources(fileURLToPath(new URL("../src", import.meta.url)))) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([^"]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((key) => !(key in dictionaries.id));
    expect(missing).toEqual([]);
  });

  it("covers the codes that come from data", () => {
    for (const code of SEVERITIES) expect(`severity.${code}` in dictionaries.id).toBe(true);
    for (const code of OUTCOMES) expect(`outcome.${code}` in dictionaries.id).toBe(true);
    for (const code of ["new", "acknowledged", "dispatched", "in_progress", "resolved", "closed"]) expect(`status.${code}` in dictionaries.id).toBe(true);
    for (const kind of ["created", "updated", "acknowledged", "dispatched", "started", "resolved", "closed", "reopened", "referred", "escalated", "commented", "attachment_added"])
      expect(`event.${kind}` in dictionaries.id).toBe(true);
  });

  it("speaks Indonesian by default and English on request", () => {
    expect(t("nav.new_case")).toBe("Kasus baru");
    setLang("en");
    expect(t("nav.new_case")).toBe("New case");
    expect(t("sync.progress", { done: 3, total: 40 })).toBe("Sending 3 of 40");
    expect(tCode("status", "in_progress")).toBe("In progress");
    setLang("id");
    expect(tCode("status", "somethingelse")).toBe("somethingelse");
  });
});
