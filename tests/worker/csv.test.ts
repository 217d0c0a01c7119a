import { describe, expect, it } from "vitest";
import { CsvError, CsvParser, csvRow, escapeFormula, isBlankRecord, parseCsv, unescapeFormula } from "../../worker/lib/csv";
import { parseAmount, parseDate, parseInteger } from "../../worker/services/import/convert";

describe("CSV parser (RFC 4180)", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text = 'name,notes\r\n"Acme, Inc.","He said ""hi""\r\nthen left"\r\nGlobex,plain\r\n';
    expect(parseCsv(text)).toEqual([
      ["name", "notes"],
      ["Acme, Inc.", 'He said "hi"\r\nthen left'],
      ["Globex", "plain"],
    ]);
  });

  it("accepts LF, CRLF and lone CR line ends, and a missing final line break", () => {
    expect(parseCsv("a,b\nc,d")).toEqual([["a", "b"], ["c", "d"]]);
    expect(parseCsv("a,b\r\nc,d\r\n")).toEqual([["a", "b"], ["c", "d"]]);
    expect(parseCsv("a,b\rc,d\r")).toEqual([["a", "b"], ["c", "d"]]);
  });

  it("strips a UTF-8 byte-order mark and keeps empty fields", () => {
    expect(parseCsv("\ufeffname,,x\n,,\n")).toEqual([["name", "", "x"], ["", "", ""]]);
    expect(isBlankRecord(["", " ", ""])).toBe(true);
    expect(isBlankRecord(["", "x"])).toBe(false);
  });

  it("gives the same records whatever the chunk boundaries (streaming)", () => {
    const text = '\ufeffid,"multi\r\nline ""q""",z\r\n1,"a,b",\r\n2,"x""",y\n3,"",\r\n';
    const whole = parseCsv(text);
    for (let cut = 0; cut <= text.length; cut++) {
      for (const size of [1, 2, 3, 7]) {
        const p = new CsvParser();
        const out: string[][] = [];
        out.push(...p.push(text.slice(0, cut)));
        for (let i = cut; i < text.length; i += size) out.push(...p.push(text.slice(i, i + size)));
        out.push(...p.end());
        expect(out).toEqual(whole);
      }
    }
    expect(whole).toEqual([["id", 'multi\r\nline "q"', "z"], ["1", "a,b", ""], ["2", 'x"', "y"], ["3", "", ""]]);
  });

  it("refuses a quoted field that is never closed, naming where it opened", () => {
    let err: unknown;
    try {
      parseCsv('a,b\n1,"open\n2,3\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CsvError);
    expect((err as CsvError).record).toBe(2);
    expect((err as CsvError).message).toMatch(/line 2/);
  });

  it("is lenient where spreadsheets are: stray quotes in unquoted fields, text after a closing quote", () => {
    expect(parseCsv('5" screen,"abc"def\n')).toEqual([['5" screen', "abcdef"]]);
  });

  it("writes fields that read back exactly, neutralising spreadsheet formulas", () => {
    const values = ["plain", "with,comma", 'with "quote"', "line\nbreak", " edge ", "=1+2", "+49 30 1234", "-5", "@cmd", "'=already", "'quoted", "", "Zoë 東京 🚀"];
    const [row] = parseCsv(csvRow(values));
    expect(row!.map(unescapeFormula)).toEqual(values);
    expect(row![5]).toBe("'=1+2");
    expect(escapeFormula("'=already")).toBe("''=already");
    expect(csvRow([null, undefined, 12, "x"])).toBe(",,12,x\r\n");
  });
});

describe("cell conversions", () => {
  it("reads integers with thousands separators", () => {
    expect(parseInteger("1,200")).toEqual({ ok: true, value: 1200 });
    expect(parseInteger("12.5").ok).toBe(false);
    expect(parseInteger("1,20").ok).toBe(false);
  });

  it("converts major amounts with the currency's own minor digits and exact decimals", () => {
    expect(parseAmount("1,234.50", "major", "USD")).toEqual({ ok: true, value: 123450 });
    expect(parseAmount("$0.1", "major", "USD")).toEqual({ ok: true, value: 10 });
    expect(parseAmount("1234.5 EUR", "major", "EUR")).toEqual({ ok: true, value: 123450 });
    expect(parseAmount("1,234", "major", "JPY")).toEqual({ ok: true, value: 1234 });
    expect(parseAmount("1.234", "major", "KWD")).toEqual({ ok: true, value: 1234 });
    expect(parseAmount("19.99", "major", "USD")).toEqual({ ok: true, value: 1999 });
    const tooPrecise = parseAmount("12.345", "major", "USD");
    expect(tooPrecise.ok === false && tooPrecise.message).toMatch(/more decimals than USD allows \(2\)/);
    const notMinor = parseAmount("1,234.50", "minor", "USD");
    expect(notMinor.ok === false && notMinor.message).toMatch(/amountUnit "major"/);
    expect(parseAmount("123450", "minor", "USD")).toEqual({ ok: true, value: 123450 });
    expect(parseAmount("abc", "major", "USD").ok).toBe(false);
  });

  it("reads dates in the three supported formats and refuses impossible ones", () => {
    expect(parseDate("2026-12-31", "YYYY-MM-DD")).toEqual({ ok: true, value: "2026-12-31" });
    expect(parseDate("2026-01-05T00:00:00Z", "YYYY-MM-DD")).toEqual({ ok: true, value: "2026-01-05" });
    expect(parseDate("12/31/2026", "M/D/YYYY")).toEqual({ ok: true, value: "2026-12-31" });
    expect(parseDate("31/12/2026", "D/M/YYYY")).toEqual({ ok: true, value: "2026-12-31" });
    expect(parseDate("2/3/2026", "D/M/YYYY")).toEqual({ ok: true, value: "2026-03-02" });
    expect(parseDate("2/30/2026", "M/D/YYYY").ok).toBe(false);
    expect(parseDate("31/12/2026", "M/D/YYYY").ok).toBe(false);
    expect(parseDate("2026-13-01", "YYYY-MM-DD").ok).toBe(false);
  });
});
