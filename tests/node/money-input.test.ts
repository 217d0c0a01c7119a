import { describe, expect, it } from "vitest";
import { parseMoneyInput } from "../../web/lib/format";
import { parseMajorAmount } from "../../web/lib/parse";

const en = (text: string, currency = "USD") => parseMoneyInput(text, currency, { locale: "en-US" });
const de = (text: string, currency = "EUR") => parseMoneyInput(text, currency, { locale: "de-DE" });
const minor = (r: ReturnType<typeof parseMoneyInput>) => (r.ok ? r.minor : r.error);

describe("parseMoneyInput: amounts people type", () => {
  it("reads the normal forms of the user's locale into minor units", () => {
    expect(minor(en("12,500.99"))).toBe(1_250_099);
    expect(minor(en("12500.99"))).toBe(1_250_099);
    expect(minor(en("12500"))).toBe(1_250_000);
    expect(minor(en("1,234,567.5"))).toBe(123_456_750);
    expect(minor(en("$12,500"))).toBe(1_250_000);
    expect(minor(en("12 500,99"))).toBe(1_250_099);
    expect(minor(en("USD 99.95"))).toBe(9995);
    expect(minor(en("12.5k"))).toBe(1_250_000);
    expect(minor(en("2M"))).toBe(200_000_000);
    expect(minor(en("  "))).toBeNull();
    expect(minor(de("12.500,99"))).toBe(1_250_099);
    expect(minor(de("12500,99"))).toBe(1_250_099);
    expect(minor(de("12 500,99 €"))).toBe(1_250_099);
    // The other convention when the locale's cannot read it.
    expect(minor(en("12.500,99"))).toBe(1_250_099);
    expect(minor(de("12500.99"))).toBe(1_250_099);
  });

  it("uses the currency's own digits: none for JPY, three for KWD", () => {
    expect(minor(en("12,500", "JPY"))).toBe(12_500);
    expect(minor(en("1.234", "KWD"))).toBe(1234);
    expect(minor(en("1,234.5", "KWD"))).toBe(1_234_500);
  });

  it("refuses malformed amounts with a sentence instead of guessing", () => {
    for (const text of ["12,5,00.999", "12,50,0", "12..5", "12.5.0", "1.2.3,4", "lots", "12,500.99.1", "1 2 3", "12."]) {
      const r = en(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error, text).toBe("Enter an amount such as 12,500.99 or 12500.99");
    }
  });

  it("refuses more decimals than the currency has instead of rounding", () => {
    expect(en("12,500.999")).toEqual({ ok: false, error: "USD amounts have at most 2 decimals" });
    expect(en("12.500")).toEqual({ ok: false, error: "USD amounts have at most 2 decimals" });
    expect(en("100.5", "JPY")).toEqual({ ok: false, error: "JPY amounts have no decimals" });
    expect(minor(en("1.2345k"))).toBe(123_450);
    expect(en("1.234567k")).toEqual({ ok: false, error: "USD amounts have at most 2 decimals" });
  });

  it("refuses negative amounts, another currency's code and amounts beyond exact integers", () => {
    expect(en("-5")).toEqual({ ok: false, error: "Enter an amount of 0 or more" });
    expect(en("100 EUR")).toEqual({ ok: false, error: "That amount is in EUR; choose EUR as the currency or leave the code out" });
    expect(en("99999999999999999")).toEqual({ ok: false, error: "That amount is too large" });
  });

  it("parseMajorAmount (lead conversion) follows the same rules: NaN where parseMoneyInput refuses", () => {
    expect(parseMajorAmount("12,5,00.999", 2)).toBeNaN();
    expect(parseMajorAmount("12.999", 2)).toBeNaN();
    expect(parseMajorAmount("12,500.50", 2)).toBe(1_250_050);
  });
});
